package dev.quarry.server.api;

/** The JSON body of every REST error. */
public record ErrorBody(String code, String message, boolean retryable) {
  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(code.name(), message, code.retryable());
  }
}
