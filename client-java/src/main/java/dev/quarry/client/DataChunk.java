package dev.quarry.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * One future's share of a map over stored data ({@link StoredData}): the byte range {@code [start,
 * end)} of {@code bucket/key}. When the object was split, {@code start} and {@code end} lie just
 * after a newline (or at the object's ends), so the range holds whole lines.
 *
 * @param objectSize the whole object's size when the server planned the map
 * @param etag the object's entity tag then; {@link #stream()} fails if the object changed since
 */
public record DataChunk(
    String bucket,
    String key,
    long start,
    long end,
    long objectSize,
    String etag,
    int part,
    ContextStorage storage) {

  /** Bytes in the range. */
  public long length() {
    return end - start;
  }

  /** A new stream of exactly the range's bytes, fetched as they are read. */
  public InputStream stream() {
    return storage instanceof dev.quarry.client.internal.BridgedContext checked
        ? checked.openChecked(bucket, key, start, length(), etag)
        : storage.openObject(bucket, key, start, length());
  }

  /** The range decoded as UTF-8 (read whole into memory). */
  public String text() {
    try (InputStream in = stream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The range's lines (UTF-8), read as the stream is consumed; close it when done. */
  public Stream<String> lines() {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream(), StandardCharsets.UTF_8), 1 << 16);
    return reader
        .lines()
        .onClose(
            () -> {
              try {
                reader.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Override
  public String toString() {
    return "DataChunk[" + bucket + "/" + key + " bytes " + start + "-" + end + "]";
  }
}
