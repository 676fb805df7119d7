package dev.quarry.client;

import java.util.List;
import java.util.Objects;

/**
 * Objects of one bucket of the Storage API to map a function over: every object under a prefix, or
 * the named keys. The server lists the objects and plans the futures: one per object, or, with
 * {@link #objChunkSize} or {@link #objChunkNumber}, one per byte range of an object. Range
 * boundaries move forward to just after the next newline, so every line of a text object is in
 * exactly one range (none cut, none read twice), as in Lithops' partitioner. Each future's function
 * receives a {@link DataChunk}.
 *
 * <pre>{@code
 * var futures = fexec.map(
 *     (DataChunk chunk) -> chunk.lines().count(),
 *     StoredData.prefix("logs", "2026/11/").objChunkSize(64L << 20));
 * }</pre>
 *
 * @param prefix the key prefix (when {@code keys} is empty)
 * @param keys the objects, in this order (empty: all under {@code prefix})
 * @param objChunkSize bytes per range (0: not split by size)
 * @param objChunkNumber ranges per object (0: not split into a number)
 */
public record StoredData(
    String bucket, String prefix, List<String> keys, long objChunkSize, int objChunkNumber) {
  /** Smallest {@link #objChunkSize}: 1 KiB. */
  public static final long MIN_CHUNK_SIZE = 1024;

  /** Most ranges one object is split into. */
  public static final int MAX_CHUNK_NUMBER = 10_000;

  /**
   * @throws IllegalArgumentException for a blank bucket, a chunk size below {@link
   *     #MIN_CHUNK_SIZE}, a chunk number outside 0..{@link #MAX_CHUNK_NUMBER}, or both set
   */
  public StoredData {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    keys = List.copyOf(keys);
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank");
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
    return new StoredData(bucket, prefix, List.of(), 0, 0);
  }

  /** These objects of {@code bucket}, in this order. */
  public static StoredData keys(String bucket, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    return new StoredData(bucket, "", keys, 0, 0);
  }

  /** The same data split into ranges of about {@code bytes} each. */
  public StoredData objChunkSize(long bytes) {
    return new StoredData(bucket, prefix, keys, bytes, 0);
  }

  /** The same data with each object split into {@code n} ranges. */
  public StoredData objChunkNumber(int n) {
    return new StoredData(bucket, prefix, keys, 0, n);
  }
}
