package dev.quarry.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of every REST error. {@code reason} is a stable, machine-readable refinement of
 * {@code code} (e.g. {@code REQUEST_REJECTED} from the firewall), present only when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, boolean retryable, @Nullable String reason) {
  public ErrorBody(String code, String message, boolean retryable) {
    this(code, message, retryable, null);
  }

  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(code.name(), message, code.retryable(), null);
  }

  public static ErrorBody of(ErrorCode code, String message, @Nullable String reason) {
    return new ErrorBody(code.name(), message, code.retryable(), reason);
  }
}
