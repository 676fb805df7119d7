package dev.quarry.lambda.emulator.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Lambda API error: answered with {@code status}, header {@code X-Amzn-ErrorType: errorType} and
 * a JSON body, which the AWS SDK maps to its modeled exception of that name.
 */
final class ApiException extends RuntimeException {

  private final int status;
  private final String errorType;
  private final Map<String, String> bodyFields;
  private final Map<String, String> headers;

  ApiException(int status, String errorType, @Nullable String message) {
    this(status, errorType, message, Map.of(), Map.of());
  }

  ApiException(
      int status,
      String errorType,
      @Nullable String message,
      Map<String, String> bodyFields,
      Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.errorType = errorType;
    this.bodyFields = bodyFields;
    this.headers = headers;
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "ResourceNotFoundException", message);
  }

  static ApiException conflict(String message) {
    return new ApiException(409, "ResourceConflictException", message);
  }

  static ApiException invalidParameter(String message) {
    return new ApiException(400, "InvalidParameterValueException", message);
  }

  static ApiException invalidContent(String message) {
    return new ApiException(400, "InvalidRequestContentException", message);
  }

  static ApiException tooManyRequests(String reason) {
    return new ApiException(
        429,
        "TooManyRequestsException",
        "Rate Exceeded.",
        Map.of("Reason", reason),
        Map.of("Retry-After", "1"));
  }

  static ApiException service(int status, String message) {
    return new ApiException(status, "ServiceException", message);
  }

  int status() {
    return status;
  }

  String errorType() {
    return errorType;
  }

  Map<String, String> bodyFields() {
    return bodyFields;
  }

  Map<String, String> headers() {
    return headers;
  }
}
