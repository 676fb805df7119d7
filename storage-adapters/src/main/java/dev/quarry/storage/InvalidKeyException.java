package dev.quarry.storage;

/** An object key that is not allowed (traversal, absolute, empty segment, control characters). */
public class InvalidKeyException extends StorageException {
  /**
   * @param message which key and why it is invalid; never retryable
   */
  public InvalidKeyException(String message) {
    super(message, false);
  }
}
