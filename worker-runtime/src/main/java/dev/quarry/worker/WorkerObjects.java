package dev.quarry.worker;

import java.util.List;
import java.util.Optional;

/**
 * How a worker reaches its tenant's Storage API objects for a context function: never with storage
 * credentials, always through something that acts as the running invocation's tenant (the local
 * backend over the worker's pipe). Failures are plain JDK exceptions, because they surface in the
 * tenant's function, whose code knows no Quarry worker types:
 *
 * <ul>
 *   <li>{@link IllegalArgumentException}: a bad bucket, key or prefix;
 *   <li>{@link SecurityException}: the call is not allowed (e.g. after the invocation ended);
 *   <li>{@link java.io.UncheckedIOException}: quota, size limit or a store failure.
 * </ul>
 */
public interface WorkerObjects {
  /** Most bytes one {@link #read} returns. */
  int MAX_READ = 4 << 20;

  /**
   * This view bound to one invocation: its calls name that invocation, so a thread the function
   * leaves running is refused once the invocation has ended, even while the worker runs the next.
   */
  default WorkerObjects forInvocation(String invocationId) {
    return this;
  }

  /**
   * Up to {@code length} (at most {@link #MAX_READ}) bytes from {@code offset}; empty if missing.
   */
  Optional<Part> read(String bucket, String key, long offset, int length);

  void write(String bucket, String key, byte[] data);

  /** One page of keys under {@code prefix}; pass {@link Page#nextPageToken()} back for the next. */
  Page list(String bucket, String prefix, String pageToken);

  /**
   * @return whether the object existed
   */
  boolean delete(String bucket, String key);

  /** Bytes of an object, with its whole size and entity tag. */
  record Part(long size, String etag, byte[] data) {}

  /** A listed object. */
  record Entry(String key, long size, String etag) {}

  /**
   * @param nextPageToken empty on the last page
   */
  record Page(List<Entry> objects, String nextPageToken) {
    public Page {
      objects = List.copyOf(objects);
    }
  }
}
