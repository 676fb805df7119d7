package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import dev.quarry.storage.ObjectStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which object store holds a job's objects (staged inputs, function bundle and manifest, results,
 * logs): the server's own store, or the S3 bucket its profile names in the common setting {@value
 * #BUCKET}, opened with the profile's own {@code aws} credential. Every component that writes or
 * reads a job's objects asks here, with the job's tenant and profile; the server's own objects (the
 * Storage API, uploaded bundles) stay in {@link #server()}.
 *
 * <p>Stores of profiles are opened on first use, probed (a small object is written, read and
 * deleted under the tenant's prefix), cached per profile and version of profile and credential
 * (bounded), and closed some minutes after a newer version replaces them or they are evicted, so a
 * read in progress finishes.
 *
 * <pre>{@code
 * ProfileStores.Located at = stores.forProfile(job.tenantId(), job.profile());
 * at.store().read(StorageKeys.result(tenant, job.id(), 0, 1));
 * }</pre>
 */
public interface ProfileStores {
  /** The profile setting naming the bucket of its jobs' objects. */
  String BUCKET = "bucket";

  /**
   * A store and a stable name of where it points ({@code server}, or {@code s3://bucket}), for
   * caches that must not mix two stores' keys.
   */
  record Located(String location, ObjectStore store) {
    public boolean isServer() {
      return location.equals(SERVER);
    }
  }

  /** {@link Located#location()} of the server's own store. */
  String SERVER = "server";

  /** The server's own store. */
  ObjectStore server();

  /**
   * The store of the jobs of {@code tenant}'s profile {@code profile}: the server's when the
   * profile is null, empty, unknown (deleted) or names no bucket.
   *
   * @throws ApiException INVALID_ARGUMENT when the profile's bucket cannot be reached with its
   *     credential (the message says why, never the credential)
   */
  Located forProfile(String tenant, @Nullable String profile);

  /**
   * Checks settings about to be written to a profile of {@code tenant}: when they name a bucket,
   * the credential must be an {@code aws} one with keys, and the bucket reachable with it.
   *
   * @param credentialKind the kind of {@code credential}, null when the profile names none
   * @throws ApiException INVALID_ARGUMENT naming the problem
   */
  void check(
      String tenant,
      Map<String, String> settings,
      @Nullable String credential,
      @Nullable String credentialKind);

  /**
   * Copies the named objects (a function's bundle: payload and jars, content-addressed) from the
   * server's store into {@code target} where it lacks them; nothing for the server's store.
   *
   * @throws dev.quarry.storage.StorageException if a copy fails
   */
  void stage(Located target, List<String> keys);
}
