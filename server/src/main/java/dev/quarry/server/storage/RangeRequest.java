package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A byte range as HTTP's {@code Range: bytes=} says it: {@code first-last}, {@code first-} (to the
 * end), or {@code -suffix} (the last {@code suffix} bytes).
 */
public record RangeRequest(@Nullable Long first, @Nullable Long last, @Nullable Long suffix) {
  private static final int MAX_HEADER = 100;

  /** {@code length} bytes from {@code offset}; {@code length} 0 means to the end. */
  public static RangeRequest of(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw ApiException.invalid(
          "range offset and length must not be negative, got " + offset + " and " + length);
    }
    return new RangeRequest(offset, length > 0 ? offset + length - 1 : null, null);
  }

  /**
   * Parses a {@code Range} header. A header that is not one {@code bytes=} range (several ranges,
   * another unit, garbage) is ignored, as HTTP allows: the whole object is served.
   */
  public static Optional<RangeRequest> parseHeader(@Nullable String header) {
    if (header == null || header.length() > MAX_HEADER || !header.startsWith("bytes=")) {
      return Optional.empty();
    }
    String spec = header.substring("bytes=".length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0 || spec.indexOf(',') >= 0) {
      return Optional.empty();
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      if (a.isEmpty()) {
        return b.isEmpty()
            ? Optional.empty()
            : Optional.of(new RangeRequest(null, null, Long.parseLong(b)));
      }
      long first = Long.parseLong(a);
      Long last = b.isEmpty() ? null : Long.parseLong(b);
      if (first < 0 || (last != null && last < first)) {
        return Optional.empty();
      }
      return Optional.of(new RangeRequest(first, last, null));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code [offset, offset + length)} this range means for an object of {@code size} bytes.
   *
   * @return {@code {offset, length}}
   * @throws ApiException RANGE_NOT_SATISFIABLE if it selects no byte of the object
   */
  public long[] resolve(long size) {
    if (suffix != null) {
      if (suffix <= 0 || size == 0) {
        throw unsatisfiable(size);
      }
      long n = Math.min(suffix, size);
      return new long[] {size - n, n};
    }
    long start = first == null ? 0 : first;
    if (start >= size) {
      throw unsatisfiable(size);
    }
    long end = last == null ? size - 1 : Math.min(last, size - 1);
    return new long[] {start, end - start + 1};
  }

  private static ApiException unsatisfiable(long size) {
    return new ApiException(
        ErrorReason.RANGE_NOT_SATISFIABLE,
        "the range selects no byte of the object (" + size + " bytes)",
        Map.of("size", Long.toString(size)));
  }
}
