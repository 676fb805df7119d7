package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import java.io.InputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Storage API: a tenant's objects in named buckets, kept in the server's object store under the
 * tenant's own prefix ({@code tenants/<tenant>/storage/}), which no job, bundle or other tenant's
 * key can reach. Buckets exist while they hold objects. Viewers read and list, members also put and
 * delete. Bytes stream through: nothing holds a whole object in memory.
 *
 * <p>Every method throws {@link ApiException}: {@code INVALID_OBJECT_NAME} for a bad bucket, key,
 * prefix or page token; {@code OBJECT_NOT_FOUND} for a missing object (another tenant's included);
 * {@code PERMISSION_DENIED} for a role below the call's; {@code PAYLOAD_TOO_LARGE} or {@code
 * QUOTA_EXCEEDED} naming the limit ({@code maxObjectBytes}, {@code maxStorageMib}, {@code
 * maxStorageObjects}) when a put would pass it, in which case nothing is written.
 *
 * <pre>{@code
 * StoredObject o = storage.put(caller, "logs", "2026/11/30.txt", in, length);
 * try (ObjectContent c = storage.get(caller, "logs", "2026/11/30.txt", null)) {
 *   c.stream().transferTo(out);
 * }
 * }</pre>
 */
public interface TenantStorage {
  /** Most keys one list page or one bulk delete takes. */
  int MAX_PAGE = 1000;

  /**
   * Stores {@code body} as {@code bucket/key}, replacing any object there. With a known {@code
   * length} exactly that many bytes are read; with {@code length < 0} the body is read to its end
   * (spooled to a temporary file first, to check the quota before anything is stored).
   */
  StoredObject put(Principal caller, String bucket, String key, InputStream body, long length);

  /**
   * Checks, without reserving anything, that a put of {@code length} bytes would be accepted now
   * (role, names, {@code maxObjectBytes} and the quota), so a streaming put can be refused before
   * its bytes arrive. {@link #put} checks again.
   */
  void check(Principal caller, String bucket, String key, long length);

  /**
   * Opens the object, or the part of it {@code range} asks for (null: all of it); the caller closes
   * the content.
   *
   * @throws ApiException RANGE_NOT_SATISFIABLE if the range starts past the end
   */
  default ObjectContent get(
      Principal caller, String bucket, String key, @Nullable RangeRequest range) {
    return get(caller, bucket, key, range, null);
  }

  /**
   * Like {@link #get(Principal, String, String, RangeRequest)}, but only while the object's etag is
   * {@code ifMatch} (null: any), so the parts of one object read by several calls are of one
   * version.
   *
   * @throws ApiException OBJECT_CHANGED if the object has another etag now
   */
  ObjectContent get(
      Principal caller,
      String bucket,
      String key,
      @Nullable RangeRequest range,
      @Nullable String ifMatch);

  StoredObject head(Principal caller, String bucket, String key);

  /**
   * Objects of {@code bucket} whose key starts with {@code prefix}, in key order (by UTF-8 bytes),
   * at most {@code limit} (1..{@value #MAX_PAGE}) after the position {@code pageToken} names.
   */
  ObjectPage list(
      Principal caller, String bucket, String prefix, @Nullable String pageToken, int limit);

  /**
   * Deletes the named objects (1..{@value #MAX_PAGE} keys); missing ones are not an error.
   *
   * @return how many objects existed and were deleted
   */
  int delete(Principal caller, String bucket, List<String> keys);
}
