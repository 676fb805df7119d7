package dev.quarry.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The JSON body of every REST error: {@code code} (one per HTTP status), {@code reason} (a stable,
 * machine-readable refinement of the code, see {@link ErrorReason}), a message for people, whether
 * trying again may help, and {@code metadata} for programs (left out when empty).
 */
public record ErrorBody(
    String code,
    String reason,
    String message,
    boolean retryable,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata) {

  public static ErrorBody of(ErrorReason reason, String message) {
    return of(reason, message, Map.of());
  }

  public static ErrorBody of(ErrorReason reason, String message, Map<String, String> metadata) {
    ErrorCode code = reason.code();
    return new ErrorBody(code.name(), reason.name(), message, code.retryable(), metadata);
  }

  public static ErrorBody of(ApiException e) {
    return of(e.reason(), e.getMessage(), e.metadata());
  }
}
