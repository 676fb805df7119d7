package dev.quarry.server.api;

import java.util.Map;

/**
 * A request failed in a way the caller should hear about: a {@link ErrorReason reason} (which fixes
 * the {@link ErrorCode code}), a clear message, and metadata for programs (e.g. the name of the
 * limit that was hit). Throw sites that need no finer reason pass a code and get its generic
 * reason.
 */
public class ApiException extends RuntimeException {
  private final ErrorReason reason;
  private final Map<String, String> metadata;

  public ApiException(ErrorCode code, String message) {
    this(ErrorReason.of(code), message);
  }

  public ApiException(ErrorReason reason, String message) {
    this(reason, message, Map.of());
  }

  public ApiException(ErrorReason reason, String message, Map<String, String> metadata) {
    super(message);
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  public ErrorCode code() {
    return reason.code();
  }

  public ErrorReason reason() {
    return reason;
  }

  /** Details for programs, such as {@code limit=maxJobsInFlight}; empty if none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  public static ApiException invalid(String message) {
    return new ApiException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /**
   * @param reason a {@code *_NOT_FOUND} reason, which names what was not found
   * @param id the id the caller gave (clipped in the message)
   */
  public static ApiException notFound(ErrorReason reason, String id) {
    String what = reason.subject().isEmpty() ? "resource" : reason.subject();
    return new ApiException(reason, what + " '" + JsonErrors.clip(id) + "' not found");
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
  }

  /**
   * A tenant limit was hit.
   *
   * @param reason {@code PAYLOAD_TOO_LARGE} for a size limit, {@code QUOTA_EXCEEDED} or {@code
   *     RATE_LIMITED} for a count
   * @param limit the limit's name, as in the limits API ({@code maxJobsInFlight})
   */
  public static ApiException overLimit(ErrorReason reason, String limit, String message) {
    return new ApiException(reason, message, Map.of(ErrorReason.LIMIT, limit));
  }
}
