package dev.quarry.server.api;

import io.grpc.Status;

/**
 * Error codes: one per HTTP status, each with its gRPC status code and whether trying again may
 * help. {@link ErrorReason} refines them for programs.
 */
public enum ErrorCode {
  INVALID_ARGUMENT(400, Status.Code.INVALID_ARGUMENT, false),
  UNAUTHENTICATED(401, Status.Code.UNAUTHENTICATED, false),
  PERMISSION_DENIED(403, Status.Code.PERMISSION_DENIED, false),
  NOT_FOUND(404, Status.Code.NOT_FOUND, false),
  METHOD_NOT_ALLOWED(405, Status.Code.UNIMPLEMENTED, false),
  CONFLICT(409, Status.Code.FAILED_PRECONDITION, false),
  PAYLOAD_TOO_LARGE(413, Status.Code.RESOURCE_EXHAUSTED, false),
  UNSUPPORTED_MEDIA_TYPE(415, Status.Code.INVALID_ARGUMENT, false),
  RANGE_NOT_SATISFIABLE(416, Status.Code.OUT_OF_RANGE, false),
  RESOURCE_EXHAUSTED(429, Status.Code.RESOURCE_EXHAUSTED, true),
  INTERNAL(500, Status.Code.INTERNAL, true),
  UNAVAILABLE(503, Status.Code.UNAVAILABLE, true);

  private final int httpStatus;
  private final Status.Code grpcCode;
  private final boolean retryable;

  ErrorCode(int httpStatus, Status.Code grpcCode, boolean retryable) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public Status.Code grpcCode() {
    return grpcCode;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The code of an HTTP status the container or the framework chose (e.g. on a bad URL). */
  public static ErrorCode ofHttpStatus(int status) {
    for (ErrorCode c : values()) {
      if (c.httpStatus == status) {
        return c;
      }
    }
    return status >= 500 ? INTERNAL : INVALID_ARGUMENT;
  }
}
