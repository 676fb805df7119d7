package dev.quarry.server.api;

/** A request failed in a way the caller should hear about, with a code and a clear message. */
public class ApiException extends RuntimeException {
  private final ErrorCode code;

  public ApiException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ApiException invalid(String message) {
    return new ApiException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static ApiException notFound(String what, String id) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " '" + JsonErrors.clip(id) + "' not found");
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
  }
}
