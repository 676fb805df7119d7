package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Classifies Lambda failures: throttling, 5xx, resets and timeouts are {@code TRANSIENT}; bad
 * requests, a missing function and access denied are {@code PERMANENT}; the function's own crash
 * (Unhandled: out of memory, runtime exit, sandbox timeout) is {@code CRASH}.
 */
final class LambdaErrors {
  /** Error codes that mean the request itself is wrong and repeating it cannot help. */
  private static final Set<String> PERMANENT_CODES =
      Set.of(
          "ResourceNotFoundException",
          "InvalidParameterValueException",
          "RequestTooLargeException",
          "InvalidRequestContentException",
          "UnsupportedMediaTypeException",
          "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "KMSAccessDeniedException",
          "KMSDisabledException",
          "KMSNotFoundException",
          "InvalidRuntimeException",
          "InvalidZipFileException",
          "CodeStorageExceededException",
          "CodeVerificationFailedException",
          "InvalidCodeSignatureException",
          "ValidationException",
          "InvalidSecurityGroupIDException",
          "InvalidSubnetIDException",
          "ENILimitReachedException",
          "RecursiveInvocationException");

  private LambdaErrors() {}

  /** The exception an invoke or deploy call failed with, as a {@link BackendException}. */
  static BackendException classify(Throwable error, String what) {
    Throwable e = unwrap(error);
    if (e instanceof BackendException b) {
      return b;
    }
    if (e instanceof AwsServiceException aws) {
      String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode();
      String message = what + ": " + code + " (HTTP " + aws.statusCode() + "): " + detail(aws);
      return new BackendException(kind(code, aws.statusCode()), message, aws);
    }
    if (e instanceof SdkServiceException service) {
      int status = service.statusCode();
      return new BackendException(
          kind("", status), what + ": HTTP " + status + ": " + e.getMessage(), e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof TimeoutException) {
      return new BackendException(Kind.TRANSIENT, what + ": timed out: " + e.getMessage(), e);
    }
    if (e instanceof SdkClientException || e instanceof IOException) {
      return new BackendException(Kind.TRANSIENT, what + ": " + e.getMessage(), e);
    }
    return new BackendException(Kind.TRANSIENT, what + ": " + e, e);
  }

  static Kind kind(String code, int status) {
    if (PERMANENT_CODES.contains(code)) {
      return Kind.PERMANENT;
    }
    if (status == 429
        || status >= 500
        || status == 409
        || code.contains("Throttl")
        || code.equals("TooManyRequestsException")
        || code.equals("ResourceNotReadyException")) {
      return Kind.TRANSIENT;
    }
    return status >= 400 ? Kind.PERMANENT : Kind.TRANSIENT;
  }

  private static String detail(AwsServiceException aws) {
    String m = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
    return m == null ? String.valueOf(aws.getMessage()) : m;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
