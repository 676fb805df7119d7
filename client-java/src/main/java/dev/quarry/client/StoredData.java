package dev.quarry.client;

import dev.quarry.client.internal.UrlGuard;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Objects of one bucket of the Storage API to map a function over: every object under a prefix, or
 * the named keys; or HTTP(S) URLs ({@link #urls}). The server lists the objects and plans the
 * futures: one per object, or, with {@link #objChunkSize} or {@link #objChunkNumber}, one per byte
 * range of an object. Range boundaries move forward to just after the next newline, so every line
 * of a text object is in exactly one range (none cut, none read twice), as in Lithops' partitioner.
 * Each future's function receives a {@link DataChunk}.
 *
 * <pre>{@code
 * var futures = fexec.map(
 *     (DataChunk chunk) -> chunk.lines().count(),
 *     StoredData.prefix("logs", "2026/11/").objChunkSize(64L << 20));
 * }</pre>
 *
 * <p>Over URLs the server checks each one (only http and https, no user info, no loopback, private,
 * link-local or other non-public address: a URL is refused with {@code URL_REFUSED}), asks its
 * length with {@code HEAD} (without following redirects) and plans ranges when the answer has a
 * {@code Content-Length} and {@code Accept-Ranges: bytes}; otherwise the URL is one range. The
 * worker reads its range with a {@code Range} GET, so the URL must be reachable from the workers.
 *
 * @param bucket the bucket ("" for URLs)
 * @param prefix the key prefix (when {@code keys} is empty)
 * @param keys the objects, in this order (empty: all under {@code prefix})
 * @param urls HTTP(S) URLs instead of a bucket's objects, in this order
 * @param objChunkSize bytes per range (0: not split by size)
 * @param objChunkNumber ranges per object (0: not split into a number)
 */
public record StoredData(
    String bucket,
    String prefix,
    List<String> keys,
    List<URI> urls,
    long objChunkSize,
    int objChunkNumber) {
  /** Smallest {@link #objChunkSize}: 1 KiB. */
  public static final long MIN_CHUNK_SIZE = 1024;

  /** Most URLs one map may name. */
  public static final int MAX_URLS = 1000;

  /** Most ranges one object is split into. */
  public static final int MAX_CHUNK_NUMBER = 10_000;

  /**
   * @throws IllegalArgumentException for a blank bucket (or a bucket with URLs), more than {@link
   *     #MAX_URLS} URLs, a URL that is not absolute http(s), a chunk size below {@link
   *     #MIN_CHUNK_SIZE}, a chunk number outside 0..{@link #MAX_CHUNK_NUMBER}, or both set
   */
  public StoredData {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    keys = List.copyOf(keys);
    urls = List.copyOf(urls);
    if (urls.isEmpty() && bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank");
    }
    if (!urls.isEmpty() && (!bucket.isEmpty() || !prefix.isEmpty() || !keys.isEmpty())) {
      throw new IllegalArgumentException("name URLs or a bucket's objects, not both");
    }
    if (urls.size() > MAX_URLS) {
      throw new IllegalArgumentException(
          "a map may name at most " + MAX_URLS + " URLs, got " + urls.size());
    }
    for (URI url : urls) {
      UrlGuard.parse(url.toString());
    }
    if (objChunkSize != 0 && objChunkSize < MIN_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "objChunkSize must be at least " + MIN_CHUNK_SIZE + " bytes, got " + objChunkSize);
    }
    if (objChunkNumber < 0 || objChunkNumber > MAX_CHUNK_NUMBER) {
      throw new IllegalArgumentException(
          "objChunkNumber must be between 0 and " + MAX_CHUNK_NUMBER + ", got " + objChunkNumber);
    }
    if (objChunkSize != 0 && objChunkNumber != 0) {
      throw new IllegalArgumentException("set objChunkSize or objChunkNumber, not both");
    }
  }

  /** Every object of {@code bucket} whose key starts with {@code prefix}. */
  public static StoredData prefix(String bucket, String prefix) {
    return new StoredData(bucket, prefix, List.of(), List.of(), 0, 0);
  }

  /** These objects of {@code bucket}, in this order. */
  public static StoredData keys(String bucket, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    return new StoredData(bucket, "", keys, List.of(), 0, 0);
  }

  /**
   * These HTTP(S) URLs, in this order.
   *
   * @throws IllegalArgumentException if the list is empty or longer than {@link #MAX_URLS}, or a
   *     URL is not absolute http(s), has user info or is longer than 2048 characters
   */
  public static StoredData urls(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls must not be empty");
    }
    return new StoredData("", "", List.of(), urls, 0, 0);
  }

  /** The same data split into ranges of about {@code bytes} each. */
  public StoredData objChunkSize(long bytes) {
    return new StoredData(bucket, prefix, keys, urls, bytes, 0);
  }

  /** The same data with each object split into {@code n} ranges. */
  public StoredData objChunkNumber(int n) {
    return new StoredData(bucket, prefix, keys, urls, 0, n);
  }
}
