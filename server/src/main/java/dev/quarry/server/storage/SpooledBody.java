package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A body whose size is not known up front (a chunked HTTP upload), written to a temporary file,
 * never memory, up to a bound; closing it deletes the file.
 */
public final class SpooledBody implements AutoCloseable {
  private final Path file;
  private final OutputStream out;
  private final long max;
  private long size;

  private SpooledBody(Path file, long max) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file);
    this.max = max;
  }

  /**
   * An empty spool that takes at most {@code max} bytes.
   *
   * @throws UncheckedIOException if the temporary file cannot be created
   */
  private static SpooledBody create(long max) {
    Path file = null;
    try {
      file = Files.createTempFile("quarry-storage", ".part");
      return new SpooledBody(file, max);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException(e);
    }
  }

  /** Copies {@code body} to its end into a new spool. */
  public static SpooledBody of(InputStream body, long max) {
    SpooledBody spool = create(max);
    try {
      body.transferTo(
          new FilterOutputStream(spool.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              spool.write(b, off, len);
            }
          });
      return spool;
    } catch (IOException e) {
      spool.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      spool.close();
      throw e;
    }
  }

  /**
   * @throws ApiException PAYLOAD_TOO_LARGE past the bound
   */
  private void write(byte[] data, int off, int len) throws IOException {
    if (size + len > max) {
      throw ApiException.tooLarge("the object is larger than " + max + " bytes");
    }
    out.write(data, off, len);
    size += len;
  }

  public long size() {
    return size;
  }

  /** The spooled bytes, once writing is done. */
  public InputStream open() throws IOException {
    out.close();
    return Files.newInputStream(file);
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // deleting the file is what matters
    }
    deleteQuietly(file);
  }

  private static void deleteQuietly(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }
}
