package dev.quarry.server.api;

/**
 * The stable, machine-readable reason of an error: the {@code reason} of every REST error body and
 * of the {@code google.rpc.ErrorInfo} on every gRPC error (domain {@link #DOMAIN}). Programs branch
 * on the reason, never on the message text. Each reason belongs to exactly one {@link ErrorCode}; a
 * code's generic reason carries its own name. Names never change once released; new reasons may be
 * added (clients map unknown ones to {@code UNKNOWN}).
 */
public enum ErrorReason {
  INVALID_ARGUMENT(ErrorCode.INVALID_ARGUMENT, "a field, setting or value breaks its rules"),
  MALFORMED_REQUEST(
      ErrorCode.INVALID_ARGUMENT,
      "the body is not the JSON expected, a gRPC message does not parse, or the query string is"
          + " not UTF-8"),
  REQUEST_REJECTED(
      ErrorCode.INVALID_ARGUMENT,
      "the firewall or the servlet container refused the URL, a header or a character"),
  BLOB_NOT_UPLOADED(
      ErrorCode.INVALID_ARGUMENT,
      "a function names a blob (jar or payload) the server does not hold: upload it, then register"
          + " again"),
  INVALID_OBJECT_NAME(
      ErrorCode.INVALID_ARGUMENT,
      "a storage bucket name, object key, prefix or page token breaks its rules (traversal, absolute,"
          + " control characters, length)"),
  URL_REFUSED(
      ErrorCode.INVALID_ARGUMENT,
      "a URL of a map is not http(s), has user info, is too long, or its host resolves to a"
          + " loopback, private, link-local or other non-public address"),
  URL_UNREADABLE(
      ErrorCode.INVALID_ARGUMENT,
      "the server could not read a URL's length: no 200 answer to HEAD in time (redirects are not"
          + " followed)"),
  UNAUTHENTICATED(ErrorCode.UNAUTHENTICATED, "no key, or a wrong, revoked or disabled-tenant key"),
  PERMISSION_DENIED(ErrorCode.PERMISSION_DENIED, "the key's role may not make this call"),
  NOT_FOUND(ErrorCode.NOT_FOUND, "no such resource"),
  ROUTE_NOT_FOUND(ErrorCode.NOT_FOUND, "no such endpoint"),
  JOB_NOT_FOUND(ErrorCode.NOT_FOUND, "no such job (another tenant's included)", "job"),
  FUNCTION_NOT_FOUND(
      ErrorCode.NOT_FOUND, "no such function name or id (another tenant's included)", "function"),
  PROFILE_NOT_FOUND(ErrorCode.NOT_FOUND, "no such backend profile", "profile"),
  CREDENTIAL_NOT_FOUND(ErrorCode.NOT_FOUND, "no such team credential", "credential"),
  TENANT_NOT_FOUND(ErrorCode.NOT_FOUND, "no such tenant", "tenant"),
  KEY_NOT_FOUND(ErrorCode.NOT_FOUND, "no such API key", "key"),
  WORKER_TOKEN_NOT_FOUND(ErrorCode.NOT_FOUND, "no such worker token", "worker token"),
  RUNTIME_NOT_FOUND(ErrorCode.NOT_FOUND, "no such Lambda runtime in the profile's account"),
  OBJECT_NOT_FOUND(
      ErrorCode.NOT_FOUND, "no such object in the bucket (another tenant's included)", "object"),
  UPLOAD_NOT_FOUND(
      ErrorCode.NOT_FOUND,
      "no such multipart upload in progress (another tenant's, a completed, aborted or expired one"
          + " included)",
      "upload"),
  METHOD_NOT_ALLOWED(ErrorCode.METHOD_NOT_ALLOWED, "the path does not take this HTTP method"),
  CONFLICT(ErrorCode.CONFLICT, "the request conflicts with the resource's current state"),
  ALREADY_EXISTS(ErrorCode.CONFLICT, "a resource with this id already exists"),
  RESOURCE_IN_USE(ErrorCode.CONFLICT, "the resource is used by another one (e.g. a profile)"),
  JOB_CANCELLED(ErrorCode.CONFLICT, "the job was cancelled: its futures cannot run again"),
  FUTURE_NOT_READY(
      ErrorCode.CONFLICT,
      "a future whose result a map takes as input has not succeeded (pending, running, failed or"
          + " cancelled)"),
  OBJECT_CHANGED(
      ErrorCode.CONFLICT,
      "the object was replaced: its etag is no longer the one the request names (If-Match)"),
  PAYLOAD_TOO_LARGE(
      ErrorCode.PAYLOAD_TOO_LARGE,
      "a body, blob or input over a size limit; metadata 'limit' names the tenant limit, if one"),
  UNSUPPORTED_MEDIA_TYPE(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a JSON endpoint without 'Content-Type: application/json'"),
  RANGE_NOT_SATISFIABLE(
      ErrorCode.RANGE_NOT_SATISFIABLE,
      "a byte range starts past the end of the object (metadata 'size')"),
  RATE_LIMITED(
      ErrorCode.RESOURCE_EXHAUSTED,
      "the key's requestsPerSecond is used up; retry after the delay (metadata 'limit')"),
  QUOTA_EXCEEDED(
      ErrorCode.RESOURCE_EXHAUSTED,
      "a tenant limit such as maxJobsInFlight is reached (metadata 'limit'); retry when work ends"),
  INTERNAL(ErrorCode.INTERNAL, "the server's fault"),
  UNAVAILABLE(ErrorCode.UNAVAILABLE, "the server or a backend it needs is unavailable for now");

  /** The {@code google.rpc.ErrorInfo} domain of every reason. */
  public static final String DOMAIN = "quarry.dev";

  /** The {@code ErrorInfo} metadata key naming the tenant limit an error is about. */
  public static final String LIMIT = "limit";

  private final ErrorCode code;
  private final String meaning;
  private final String subject;

  ErrorReason(ErrorCode code, String meaning) {
    this(code, meaning, "");
  }

  ErrorReason(ErrorCode code, String meaning, String subject) {
    this.code = code;
    this.meaning = meaning;
    this.subject = subject;
  }

  /** The code (HTTP status and gRPC code) this reason refines. */
  public ErrorCode code() {
    return code;
  }

  /** One line saying when this reason is given (the README's table says the same). */
  public String meaning() {
    return meaning;
  }

  /** What a {@code *_NOT_FOUND} reason is about ({@code job}), for its message; else empty. */
  String subject() {
    return subject;
  }

  /** The generic reason of {@code code}, for errors that need no finer one. */
  public static ErrorReason of(ErrorCode code) {
    return switch (code) {
      case INVALID_ARGUMENT -> INVALID_ARGUMENT;
      case UNAUTHENTICATED -> UNAUTHENTICATED;
      case PERMISSION_DENIED -> PERMISSION_DENIED;
      case NOT_FOUND -> NOT_FOUND;
      case METHOD_NOT_ALLOWED -> METHOD_NOT_ALLOWED;
      case CONFLICT -> CONFLICT;
      case PAYLOAD_TOO_LARGE -> PAYLOAD_TOO_LARGE;
      case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
      case RANGE_NOT_SATISFIABLE -> RANGE_NOT_SATISFIABLE;
      case RESOURCE_EXHAUSTED -> RATE_LIMITED;
      case INTERNAL -> INTERNAL;
      case UNAVAILABLE -> UNAVAILABLE;
    };
  }
}
