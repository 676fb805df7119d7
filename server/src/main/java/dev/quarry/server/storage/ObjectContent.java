package dev.quarry.server.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * An open object: what it is, the byte range served, and a stream of exactly those bytes.
 *
 * @param offset first byte served
 * @param length bytes served (the whole size when no range was asked for)
 * @param partial whether a range was asked for and served
 */
public record ObjectContent(
    StoredObject info, long offset, long length, boolean partial, InputStream stream)
    implements AutoCloseable {
  @Override
  public void close() throws IOException {
    stream.close();
  }
}
