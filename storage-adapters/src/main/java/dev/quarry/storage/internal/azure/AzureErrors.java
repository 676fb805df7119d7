package dev.quarry.storage.internal.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import dev.quarry.storage.StorageException;
import java.util.Optional;

/** Maps Azure SDK failures to {@link StorageException}s that say whether to retry. */
final class AzureErrors {
  private AzureErrors() {}

  /** Whether the failure is "this blob does not exist" (not: "this container does not exist"). */
  static boolean isMissingBlob(RuntimeException e) {
    if (!(e instanceof BlobStorageException b) || b.getStatusCode() != 404) {
      return false;
    }
    BlobErrorCode code = b.getErrorCode();
    // a HEAD answer has no body; its error code comes from a header and may be absent
    return code == null || BlobErrorCode.BLOB_NOT_FOUND.equals(code);
  }

  /** Empty for a missing blob, else throws the mapped failure. */
  static <T> Optional<T> absentOrThrow(String op, String key, RuntimeException e) {
    if (isMissingBlob(e)) {
      return Optional.empty();
    }
    throw failure(op, key, e);
  }

  /**
   * 5xx, 408, 429, a conflicting concurrent block commit and client-side failures (connection,
   * timeout, IO) are retryable; other 4xx (bad credentials, missing container) are not.
   */
  static StorageException failure(String op, String what, RuntimeException e) {
    if (e instanceof StorageException already) {
      return already;
    }
    boolean retryable;
    String detail;
    if (e instanceof BlobStorageException b) {
      int status = b.getStatusCode();
      BlobErrorCode code = b.getErrorCode();
      retryable =
          status >= 500
              || status == 408
              || status == 429
              || BlobErrorCode.INVALID_BLOCK_LIST.equals(code);
      detail = "HTTP " + status + (code == null ? "" : " " + code);
    } else {
      retryable = true;
      detail = e.getClass().getSimpleName() + ": " + rootMessage(e);
    }
    return new StorageException(
        "azure-blob " + op + " of '" + what + "' failed: " + detail, retryable, e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
