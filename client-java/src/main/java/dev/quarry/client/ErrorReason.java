package dev.quarry.client;

/**
 * Why the Quarry server refused a call: the {@code reason} of the {@code google.rpc.ErrorInfo}
 * (domain {@value #DOMAIN}) it attaches to every error, mirrored from the server's catalogue (the
 * README's "Errors" table). Branch on {@link QuarryException#reason()}, never on message text.
 *
 * <p>A reason the client does not know (a newer server), an error without one (the server could not
 * be reached, a proxy answered) and an error the client raised itself are {@link #UNKNOWN}.
 */
public enum ErrorReason {
  /** No reason known: see {@link QuarryException#code()} and the message. */
  UNKNOWN,
  /** A field, setting or value breaks its rules. */
  INVALID_ARGUMENT,
  /** A body or message that does not parse. */
  MALFORMED_REQUEST,
  /** The server's firewall or container refused the URL, a header or a character. */
  REQUEST_REJECTED,
  /** A function names a blob the server does not hold: upload it, then register again. */
  BLOB_NOT_UPLOADED,
  /** A storage bucket name, object key, prefix or page token breaks its rules. */
  INVALID_OBJECT_NAME,
  /**
   * A URL of a map over HTTP(S) data is refused: not http(s), user info, too long, or its host
   * resolves to a loopback, private, link-local or other non-public address.
   */
  URL_REFUSED,
  /** The server could not read a URL's length: it did not answer HEAD with 200 in time. */
  URL_UNREADABLE,
  /** No key, or a wrong, revoked or disabled-tenant key. */
  UNAUTHENTICATED,
  /** The key's role may not make this call. */
  PERMISSION_DENIED,
  /** No such resource. */
  NOT_FOUND,
  /** No such endpoint. */
  ROUTE_NOT_FOUND,
  /** No such job. */
  JOB_NOT_FOUND,
  /** No such function name or id (e.g. the server's database was reset). */
  FUNCTION_NOT_FOUND,
  /** No such backend profile. */
  PROFILE_NOT_FOUND,
  /** No such team credential. */
  CREDENTIAL_NOT_FOUND,
  /** No such tenant. */
  TENANT_NOT_FOUND,
  /** No such API key. */
  KEY_NOT_FOUND,
  /** No such worker token. */
  WORKER_TOKEN_NOT_FOUND,
  /** No such Lambda runtime. */
  RUNTIME_NOT_FOUND,
  /** No such object in the bucket. */
  OBJECT_NOT_FOUND,
  /** No such multipart upload in progress (completed, aborted, expired or another tenant's). */
  UPLOAD_NOT_FOUND,
  /** The HTTP method is not allowed on the path. */
  METHOD_NOT_ALLOWED,
  /** The request conflicts with the resource's state. */
  CONFLICT,
  /** A resource with this id already exists. */
  ALREADY_EXISTS,
  /** The resource is used by another one. */
  RESOURCE_IN_USE,
  /** The job was cancelled: its futures cannot run again (retry-failed). */
  JOB_CANCELLED,
  /** A future whose result a map takes as input has not succeeded (yet). */
  FUTURE_NOT_READY,
  /**
   * The object was replaced while it was read in parts: its etag is no longer the one the request
   * names (a parallel {@code downloadFile} reports it instead of mixing two versions).
   */
  OBJECT_CHANGED,
  /** A size limit; {@link QuarryException#metadata()} {@code limit} names the tenant limit. */
  PAYLOAD_TOO_LARGE,
  /** A JSON endpoint called without {@code Content-Type: application/json}. */
  UNSUPPORTED_MEDIA_TYPE,
  /** A byte range starts past the end of the object. */
  RANGE_NOT_SATISFIABLE,
  /**
   * The key's {@code requestsPerSecond} is used up; retry after {@link
   * QuarryException#retryDelay()}.
   */
  RATE_LIMITED,
  /** A tenant limit such as {@code maxJobsInFlight} is reached (metadata {@code limit}). */
  QUOTA_EXCEEDED,
  /** The server's fault. */
  INTERNAL,
  /** The server or a backend it needs is unavailable for now. */
  UNAVAILABLE;

  /** The {@code ErrorInfo} domain of Quarry's reasons. */
  public static final String DOMAIN = "quarry.dev";

  /** The reason named {@code name}, or {@link #UNKNOWN} if this client does not know it. */
  public static ErrorReason of(String name) {
    for (ErrorReason r : values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return UNKNOWN;
  }
}
