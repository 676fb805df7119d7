package dev.quarry.server.storage.internal;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.limits.LimitsService;
import dev.quarry.server.limits.TenantLimits;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.SpooledBody;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Buckets over the server's {@link ObjectStore}. Each put writes a new blob under {@code
 * tenants/<tenant>/storage/<bucket>/<uuid>} (the server's own objects live under {@code blobs/},
 * {@code functions/} and {@code jobs/} of the tenant prefix, so the two never meet), then swaps the
 * index row in PostgreSQL and deletes the blob it replaced. The quota is checked and the bytes
 * reserved in one transaction, under a per-tenant advisory lock, before any byte is stored.
 *
 * <p>A replica that dies mid-put leaves an unindexed blob (never visible, not counted) and a
 * reservation that stops counting after {@link StorageIndex#STALE_UPLOAD}.
 *
 * <p>Long because each Storage API operation (put with its quota reservation and cleanup, ranged
 * get, head, paged list, bulk delete) is here with the rules it enforces, in one place.
 */
@Service
class DefaultTenantStorage implements TenantStorage {
  private static final Logger log = LoggerFactory.getLogger(DefaultTenantStorage.class);
  private static final int OPEN_ATTEMPTS = 3;
  private static final long MIB = 1024 * 1024;
  private static final int MAX_ETAG = 128;

  private final ObjectStore store;
  private final StorageIndex index;
  private final TransactionTemplate tx;
  private final QuarryProperties.Storage settings;
  private final LimitsService limits;
  private final Clock clock;

  DefaultTenantStorage(
      ObjectStore store,
      StorageIndex index,
      TransactionTemplate tx,
      QuarryProperties props,
      LimitsService limits,
      Clock clock) {
    this.limits = limits;
    this.store = store;
    this.index = index;
    this.tx = tx;
    this.settings = props.storage();
    this.clock = clock;
  }

  @Override
  public StoredObject put(
      Principal caller, String bucket, String key, InputStream body, long length) {
    caller.require(Role.MEMBER);
    StorageNames.bucket(bucket);
    StorageNames.key(key);
    if (length < 0) {
      try (SpooledBody spool = SpooledBody.of(body, settings.maxObjectBytes().toBytes());
          InputStream in = spool.open()) {
        return put(caller, bucket, key, in, spool.size());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ApiException e) {
        if (e.reason() == ErrorReason.PAYLOAD_TOO_LARGE && e.metadata().isEmpty()) {
          checkObjectSize(settings.maxObjectBytes().toBytes() + 1);
        }
        throw e;
      }
    }
    checkObjectSize(length);
    String tenant = caller.tenantId();
    UUID upload = UUID.randomUUID();
    reserve(tenant, bucket, key, length, upload);
    UUID blob = UUID.randomUUID();
    String blobKey = blobKey(tenant, bucket, blob);
    boolean stored = false;
    try {
      MessageDigest md5 = md5();
      store.put(blobKey, new DigestInputStream(body, md5), length);
      stored = true;
      StoredObject object =
          new StoredObject(
              bucket,
              key,
              length,
              "\"" + HexFormat.of().formatHex(md5.digest()) + "\"",
              clock.instant().truncatedTo(ChronoUnit.MICROS)); // as PostgreSQL keeps it
      Optional<UUID> replaced =
          tx.execute(
              s -> {
                index.release(upload);
                Optional<StorageIndex.Entry> old = index.find(tenant, bucket, key, true);
                index.upsert(tenant, object, blob);
                return old.map(StorageIndex.Entry::blobId);
              });
      replaced.ifPresent(old -> deleteBlob(tenant, bucket, old));
      return object;
    } catch (RuntimeException e) {
      releaseQuietly(upload);
      if (stored) {
        deleteBlob(tenant, bucket, blob);
      }
      throw e instanceof StorageException se ? storeFailure(se) : e;
    }
  }

  @Override
  public ObjectContent get(
      Principal caller,
      String bucket,
      String key,
      @Nullable RangeRequest range,
      @Nullable String ifMatch) {
    caller.require(Role.VIEWER);
    if (ifMatch != null && ifMatch.length() > MAX_ETAG) {
      throw ApiException.invalid("if_match is longer than " + MAX_ETAG + " characters");
    }
    String tenant = caller.tenantId();
    for (int attempt = 1; ; attempt++) {
      StorageIndex.Entry entry = find(tenant, bucket, key);
      if (ifMatch != null && !ifMatch.equals(entry.object().etag())) {
        throw new ApiException(
            ErrorReason.OBJECT_CHANGED,
            bucket + "/" + key + " was replaced: its etag is no longer " + ifMatch);
      }
      long size = entry.object().size();
      long[] span = range == null ? new long[] {0, size} : range.resolve(size);
      Optional<InputStream> in;
      try {
        in = store.openRange(blobKey(tenant, bucket, entry.blobId()), span[0], span[1]);
      } catch (StorageException e) {
        throw storeFailure(e);
      }
      if (in.isPresent()) {
        return new ObjectContent(entry.object(), span[0], span[1], range != null, in.get());
      }
      if (attempt == OPEN_ATTEMPTS) {
        throw ApiException.notFound(ErrorReason.OBJECT_NOT_FOUND, bucket + "/" + key);
      }
      // replaced between the lookup and the open: look it up again
    }
  }

  @Override
  public StoredObject head(Principal caller, String bucket, String key) {
    caller.require(Role.VIEWER);
    return find(caller.tenantId(), bucket, key).object();
  }

  @Override
  public ObjectPage list(
      Principal caller, String bucket, String prefix, @Nullable String pageToken, int limit) {
    caller.require(Role.VIEWER);
    StorageNames.bucket(bucket);
    StorageNames.prefix(prefix);
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiException.invalid("limit must be between 1 and " + MAX_PAGE + ", got " + limit);
    }
    String after =
        pageToken == null || pageToken.isEmpty() ? null : StorageNames.decodeToken(pageToken);
    List<StoredObject> rows = index.page(caller.tenantId(), bucket, prefix, after, limit + 1);
    if (rows.size() <= limit) {
      return new ObjectPage(rows, "");
    }
    List<StoredObject> page = rows.subList(0, limit);
    return new ObjectPage(page, StorageNames.encodeToken(page.getLast().key()));
  }

  @Override
  public int delete(Principal caller, String bucket, List<String> keys) {
    caller.require(Role.MEMBER);
    StorageNames.bucket(bucket);
    if (keys.isEmpty() || keys.size() > MAX_PAGE) {
      throw ApiException.invalid("delete takes 1 to " + MAX_PAGE + " keys, got " + keys.size());
    }
    List<String> checked = new ArrayList<>(keys.size());
    for (String key : keys) {
      checked.add(StorageNames.key(key));
    }
    String tenant = caller.tenantId();
    List<UUID> blobs = index.delete(tenant, bucket, checked);
    blobs.forEach(blob -> deleteBlob(tenant, bucket, blob));
    return blobs.size();
  }

  @Override
  public void check(Principal caller, String bucket, String key, long length) {
    caller.require(Role.MEMBER);
    StorageNames.bucket(bucket);
    StorageNames.key(key);
    if (length < 0) {
      throw ApiException.invalid("size must not be negative, got " + length);
    }
    checkObjectSize(length);
    reserve(caller.tenantId(), bucket, key, length, null);
  }

  void checkObjectSize(long length) {
    long maxObject = settings.maxObjectBytes().toBytes();
    if (length > maxObject) {
      throw ApiException.overLimit(
          ErrorReason.PAYLOAD_TOO_LARGE,
          "maxObjectBytes",
          "maxObjectBytes (" + maxObject + ") is less than the object's " + length + " bytes");
    }
  }

  /** Checks the quota and, unless {@code upload} is null, reserves {@code length} bytes. */
  void reserve(String tenant, String bucket, String key, long length, @Nullable UUID upload) {
    TenantLimits limits = this.limits.of(tenant);
    long maxBytes = limits.maxStorageMib() * MIB;
    long maxObjects = limits.maxStorageObjects();
    tx.executeWithoutResult(
        s -> {
          index.lockTenant(tenant);
          Instant now = clock.instant();
          StorageIndex.Usage used = index.usage(tenant, now);
          long replaced =
              index.find(tenant, bucket, key, false).map(e -> e.object().size()).orElse(-1L);
          long bytesAfter = used.bytes() + length - Math.max(replaced, 0);
          if (bytesAfter > maxBytes) {
            throw ApiException.overLimit(
                ErrorReason.PAYLOAD_TOO_LARGE,
                "maxStorageMib",
                "maxStorageMib ("
                    + limits.maxStorageMib()
                    + " MiB) would be passed: storing "
                    + length
                    + " bytes would bring the tenant's objects to "
                    + bytesAfter
                    + " bytes; delete objects first");
          }
          if (replaced < 0 && used.objects() + 1 > maxObjects) {
            throw ApiException.overLimit(
                ErrorReason.QUOTA_EXCEEDED,
                "maxStorageObjects",
                "maxStorageObjects ("
                    + maxObjects
                    + ") is reached: the tenant holds "
                    + used.objects()
                    + " objects, puts in progress included; delete objects first");
          }
          if (upload != null) {
            index.reserve(upload, tenant, length, now);
          }
        });
  }

  private StorageIndex.Entry find(String tenant, String bucket, String key) {
    StorageNames.bucket(bucket);
    StorageNames.key(key);
    return index
        .find(tenant, bucket, key, false)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.OBJECT_NOT_FOUND, bucket + "/" + key));
  }

  static String blobKey(String tenant, String bucket, UUID blob) {
    return "tenants/" + tenant + "/storage/" + bucket + "/" + blob;
  }

  void deleteBlob(String tenant, String bucket, UUID blob) {
    try {
      store.delete(blobKey(tenant, bucket, blob));
    } catch (RuntimeException e) {
      log.warn("could not delete replaced storage blob {}: {}", blob, e.toString());
    }
  }

  void releaseQuietly(UUID upload) {
    try {
      index.release(upload);
    } catch (RuntimeException e) {
      log.warn("could not release storage reservation {}: {}", upload, e.toString());
    }
  }

  /** A store failure as the caller should hear it: the client's stream, or ours. */
  static ApiException storeFailure(StorageException e) {
    if (!e.retryable()) {
      log.info("storage request failed: {}", e.getMessage());
      return ApiException.invalid(
          "the object could not be stored: the request body ended early or could not be read");
    }
    log.warn("object store failure", e);
    return new ApiException(ErrorReason.UNAVAILABLE, "the object store is unavailable; retry");
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
