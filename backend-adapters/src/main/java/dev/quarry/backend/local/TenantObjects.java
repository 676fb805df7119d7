package dev.quarry.backend.local;

import java.util.List;

/**
 * A tenant's Storage API objects as the local backend serves them to a context function running in
 * one of its workers. The backend names the tenant of the invocation the worker runs, never one the
 * worker names, so a function reaches only its own tenant's buckets; the implementation (the
 * server's Storage API) keeps them apart from the server's own objects (jobs, bundles) and applies
 * the same names, limits and quota as its REST and gRPC APIs.
 *
 * <p>Every method throws {@link Refused} for what the Storage API refuses (bad name, quota, ...)
 * and a {@link RuntimeException} for a store failure.
 *
 * <pre>{@code
 * Read r = objects.read("t1", "logs", "2026/11/30.txt", 0, 4 << 20);
 * }</pre>
 */
public interface TenantObjects {

  /**
   * Up to {@code length} bytes of {@code bucket/key} from {@code offset}.
   *
   * @return {@link Read#MISSING} when there is no such object
   */
  Read read(String tenant, String bucket, String key, long offset, int length);

  /** Stores {@code data} as {@code bucket/key}, replacing any object there. */
  void write(String tenant, String bucket, String key, byte[] data);

  /**
   * One page (at most {@code limit} objects) of the keys of {@code bucket} under {@code prefix}.
   */
  Page list(String tenant, String bucket, String prefix, String pageToken, int limit);

  /**
   * @return whether the object existed
   */
  boolean delete(String tenant, String bucket, String key);

  /**
   * Part of an object.
   *
   * @param size the whole object's size
   * @param etag its entity tag, so a reader of several parts sees whether it changed
   */
  record Read(boolean found, long size, String etag, byte[] data) {
    public static final Read MISSING = new Read(false, 0, "", new byte[0]);
  }

  /** One listed object. */
  record Entry(String key, long size, String etag) {}

  /**
   * @param nextPageToken empty on the last page
   */
  record Page(List<Entry> objects, String nextPageToken) {
    public Page {
      objects = List.copyOf(objects);
    }
  }

  /** The Storage API refused the call; {@code reason} is its machine-readable reason. */
  final class Refused extends RuntimeException {
    private final String reason;

    public Refused(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }
}
