package dev.quarry.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One future's share of a map over stored data ({@link StoredData}): the byte range {@code [start,
 * end)} of {@code bucket/key}, or of {@code url}. When a stored object was split, {@code start} and
 * {@code end} lie just after a newline (or at the object's ends), so the range holds whole lines. A
 * URL's range is planned from its length alone; {@link #stream()} then skips the line cut at {@code
 * start} and reads past {@code end} to finish the last line, with the same result: every line in
 * exactly one range ({@link #length()} is the planned length).
 *
 * @param bucket the object's bucket ("" for a URL)
 * @param key the object's key (the URL's text for a URL)
 * @param objectSize the whole object's size when the server planned the map (-1: a URL of unknown
 *     length, read whole)
 * @param etag the object's entity tag then; {@link #stream()} fails if the object changed since
 * @param url the HTTP(S) URL this range is of, or null for a stored object
 * @param privateAddressAllowed whether the server's operator let the URL's host be a private
 *     address ({@code quarry.data.url-allowed-private-hosts}); the worker checks the URL again
 */
public record DataChunk(
    String bucket,
    String key,
    long start,
    long end,
    long objectSize,
    String etag,
    int part,
    ContextStorage storage,
    java.net.@Nullable URI url,
    boolean privateAddressAllowed) {

  /** Bytes in the range. */
  public long length() {
    return end - start;
  }

  /** A new stream of exactly the range's bytes (a URL's: its lines), fetched as they are read. */
  public InputStream stream() {
    if (url != null) {
      return dev.quarry.client.internal.UrlRanges.open(
          url, start, end, objectSize, etag, privateAddressAllowed);
    }
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
    if (url != null) {
      return "DataChunk["
          + url.getScheme()
          + "://"
          + url.getHost()
          + " bytes "
          + start
          + "-"
          + end
          + "]";
    }
    return "DataChunk[" + bucket + "/" + key + " bytes " + start + "-" + end + "]";
  }
}
