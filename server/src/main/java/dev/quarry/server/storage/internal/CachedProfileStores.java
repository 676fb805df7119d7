package dev.quarry.server.storage.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.storage.BucketNames;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.storage.StorageException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link ProfileStores} over S3: a profile's bucket is opened with the server's S3 endpoint, region
 * and path style (or AWS's endpoint and the profile's {@code region} when the server is not on S3)
 * and the keys of the profile's {@code aws} credential. At most {@value #MAX_STORES} stores are
 * open; a replaced or evicted one is closed {@link #RETIRE_AFTER} later.
 *
 * <p>Long because opening a profile's store (credential, endpoint and region rules, the
 * reachability probe and its plain-words errors), caching it by version, staging inputs into it and
 * retiring replaced stores are one lifecycle over the same cache.
 */
@Component
final class CachedProfileStores implements ProfileStores, AutoCloseable {
  static final int MAX_STORES = 256;
  static final Duration RETIRE_AFTER = Duration.ofMinutes(15);
  private static final int MAX_STAGED = 10_000;
  private static final Set<String> FROM_SERVER =
      Set.of("endpoint", "region", "pathstyle", "maxconnections");
  private static final Logger log = LoggerFactory.getLogger(CachedProfileStores.class);

  private final ObjectStore server;
  private final QuarryProperties props;
  private final ProfileService profiles;
  private final CredentialService credentials;
  private final Located serverLocated;
  private final Cache<String, Entry> stores;
  private final Cache<String, Boolean> staged =
      Caffeine.newBuilder().maximumSize(MAX_STAGED).build();

  private volatile boolean closed;

  private record Entry(String version, Located located) {}

  CachedProfileStores(
      ObjectStore server,
      QuarryProperties props,
      ProfileService profiles,
      CredentialService credentials) {
    this.server = server;
    this.props = props;
    this.profiles = profiles;
    this.credentials = credentials;
    this.serverLocated = new Located(SERVER, server);
    this.stores =
        Caffeine.newBuilder()
            .maximumSize(MAX_STORES)
            .removalListener(
                (String key, @Nullable Entry e, RemovalCause cause) -> {
                  if (e != null && !closed) {
                    retire(e.located().store());
                  }
                })
            .build();
  }

  @Override
  public ObjectStore server() {
    return server;
  }

  @Override
  public Located forProfile(String tenant, @Nullable String profile) {
    if (profile == null || profile.isEmpty()) {
      return serverLocated;
    }
    Optional<ProfileService.Profile> found = profiles.lookup(tenant, profile);
    if (found.isEmpty()) {
      return serverLocated;
    }
    ProfileService.Profile p = found.get();
    String bucket = p.settings().get(BUCKET);
    if (bucket == null) {
      return serverLocated;
    }
    String credential = p.credential();
    if (credential == null) {
      throw ApiException.invalid(
          "profile '" + profile + "' names bucket '" + bucket + "' but no credential");
    }
    String version =
        bucket
            + "|"
            + p.updatedAt()
            + "|"
            + credential
            + "|"
            + credentials.version(tenant, credential).map(Object::toString).orElse("-");
    String key = tenant + "/" + profile;
    Entry cached = stores.getIfPresent(key);
    if (cached != null && cached.version().equals(version)) {
      return cached.located();
    }
    ObjectStore store =
        open(tenant, bucket, credential, p.settings(), "bucket of profile " + profile);
    Located located = new Located("s3://" + bucket + "#" + version, store);
    stores.put(key, new Entry(version, located));
    log.info("Opened bucket {} for profile {} of tenant {}", bucket, profile, tenant);
    return located;
  }

  @Override
  public void check(
      String tenant,
      Map<String, String> settings,
      @Nullable String credential,
      @Nullable String credentialKind) {
    String bucket = settings.get(BUCKET);
    if (bucket == null) {
      return;
    }
    BucketNames.validate(bucket);
    if (credential == null || !"aws".equals(credentialKind)) {
      throw ApiException.invalid(
          "setting 'bucket' needs the profile to name an aws credential that can read and write"
              + " the bucket");
    }
    open(tenant, bucket, credential, settings, "check of bucket " + bucket).close();
  }

  @Override
  public void stage(Located target, List<String> keys) {
    if (target.isServer()) {
      return;
    }
    for (String key : keys) {
      String id = target.location() + "|" + key;
      if (staged.getIfPresent(id) != null) {
        continue;
      }
      if (!target.store().exists(key)) {
        long size =
            server
                .size(key)
                .orElseThrow(
                    () -> new StorageException("bundle object '" + key + "' is missing", false));
        try (InputStream in =
            server
                .open(key)
                .orElseThrow(
                    () -> new StorageException("bundle object '" + key + "' is missing", false))) {
          target.store().put(key, in, size);
        } catch (java.io.IOException e) {
          throw new StorageException("cannot copy '" + key + "'", true, e);
        }
      }
      staged.put(id, Boolean.TRUE);
    }
  }

  @Override
  public void close() {
    closed = true;
    stores.asMap().values().forEach(e -> closeQuietly(e.located().store()));
    stores.asMap().clear();
  }

  /**
   * Opens {@code bucket} with the tenant's credential and proves it can write, read and delete
   * under the tenant's prefix.
   */
  private ObjectStore open(
      String tenant,
      String bucket,
      String credential,
      Map<String, String> profileSettings,
      String purpose) {
    BucketNames.validate(bucket);
    if (isServerBucket(bucket)) {
      throw ApiException.invalid(
          "setting 'bucket': '" + bucket + "' is this server's own bucket; name the team's own");
    }
    Map<String, String> secret = credentials.openForServer(tenant, credential, purpose);
    if (!secret.containsKey("accessKeyId") || !secret.containsKey("secretAccessKey")) {
      throw ApiException.invalid(
          "setting 'bucket' needs credential '"
              + credential
              + "' to hold accessKeyId and secretAccessKey (role-only credentials are not"
              + " supported for buckets yet)");
    }
    Map<String, String> settings = new HashMap<>();
    if (props.storage().type().equals("s3")) {
      props
          .storage()
          .settings()
          .forEach(
              (k, v) -> {
                if (FROM_SERVER.contains(k.toLowerCase(Locale.ROOT))) {
                  settings.put(k, v);
                }
              });
    } else {
      String region = profileSettings.get("region");
      String endpoint = props.storage().profileBucketEndpoint();
      if (!endpoint.isBlank()) {
        settings.put("endpoint", endpoint);
        settings.put("pathStyle", "true");
        settings.put("region", region != null ? region : "us-east-1");
      } else if (region != null) {
        settings.put("region", region);
      }
    }
    settings.put("bucket", bucket);
    settings.put("accessKeyId", secret.get("accessKeyId"));
    settings.put("secretAccessKey", secret.get("secretAccessKey"));
    if (secret.containsKey("sessionToken")) {
      settings.put("sessionToken", secret.get("sessionToken"));
    }
    ObjectStore store;
    try {
      store = ObjectStores.open("s3", settings);
    } catch (IllegalArgumentException | StorageException e) {
      throw unreachable(bucket, credential, e);
    }
    try {
      probe(store, tenant);
    } catch (StorageException | IllegalStateException e) {
      closeQuietly(store);
      throw unreachable(bucket, credential, e);
    }
    return store;
  }

  private static void probe(ObjectStore store, String tenant) {
    String key = "tenants/" + tenant + "/probes/" + UUID.randomUUID();
    store.put(key, new byte[] {'q'});
    if (store.size(key).isEmpty()) {
      throw new IllegalStateException("an object written could not be read back");
    }
    store.delete(key);
  }

  private boolean isServerBucket(String bucket) {
    if (!props.storage().type().equals("s3")) {
      return false;
    }
    return props.storage().settings().entrySet().stream()
        .anyMatch(
            e -> e.getKey().equalsIgnoreCase("bucket") && e.getValue().strip().equals(bucket));
  }

  private static ApiException unreachable(String bucket, String credential, Exception e) {
    // the store's messages name the bucket, key and S3 error code, never the keys
    log.warn("Bucket {} is not reachable with credential {}: {}", bucket, credential, e.toString());
    return ApiException.invalid(
        "bucket '"
            + bucket
            + "' cannot be written, read and deleted with credential '"
            + credential
            + "': "
            + e.getMessage());
  }

  private static void retire(ObjectStore store) {
    CompletableFuture.delayedExecutor(RETIRE_AFTER.toSeconds(), TimeUnit.SECONDS)
        .execute(() -> closeQuietly(store));
  }

  private static void closeQuietly(ObjectStore store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("Closing {} failed", store, e);
    }
  }
}
