package dev.quarry.backend;

/** An invocation failed before its worker could answer. {@link #kind()} says whether to retry. */
public class BackendException extends RuntimeException {

  /** How a failure is classified for retrying. */
  public enum Kind {
    /** Throttling, 5xx, connection reset, invoke timeout: retry with backoff. */
    TRANSIENT,
    /** Bad request, missing function, access denied: do not retry. */
    PERMANENT,
    /** The worker died or ran out of time or memory: retry up to the attempt limit. */
    CRASH;

    public boolean retryable() {
      return this != PERMANENT;
    }
  }

  private final Kind kind;

  public BackendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public BackendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
