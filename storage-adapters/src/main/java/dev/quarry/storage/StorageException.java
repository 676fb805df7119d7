package dev.quarry.storage;

/** A storage operation failed. {@link #retryable()} tells whether trying again may help. */
public class StorageException extends RuntimeException {
  private final boolean retryable;

  /**
   * @param message what failed, without secrets
   * @param retryable whether the same operation may succeed if tried again later
   * @param cause the underlying failure
   */
  public StorageException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * @param message what failed, without secrets
   * @param retryable whether the same operation may succeed if tried again later
   */
  public StorageException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** Whether trying the same operation again (later) may succeed, e.g. after an IO or 5xx error. */
  public boolean retryable() {
    return retryable;
  }
}
