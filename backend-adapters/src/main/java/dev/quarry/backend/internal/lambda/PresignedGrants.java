package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.internal.grants.TenantScope;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.ObjectGrant;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.storage.ObjectStore;
import dev.quarry.worker.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rewrites an envelope so that its worker needs no storage credentials: one pre-signed URL per
 * object the invocation may read (its stored inputs, its function's manifest, payload and jars) or
 * write (its results and status), valid until a grace period (a minute by default) after its
 * deadline; storage type {@value TaskRunner#GRANTED_STORAGE}, no settings. It never signs a key
 * outside the invocation's tenant prefix ({@link TenantScope}): such an envelope fails permanently
 * instead. Shared by the Lambda and Azure Functions backends.
 */
public final class PresignedGrants {
  static final Duration WITHOUT_DEADLINE = Duration.ofMinutes(16);

  private final ObjectStore store;
  private final Clock clock;
  private final Duration afterDeadline;
  private final Map<String, FunctionSpec> manifests = new ConcurrentHashMap<>();

  public PresignedGrants(ObjectStore store, Clock clock, Duration afterDeadline) {
    this.store = store;
    this.clock = clock;
    this.afterDeadline = afterDeadline;
  }

  /**
   * @throws BackendException ({@link Kind#PERMANENT}) if the store cannot presign, or a key the
   *     envelope or its manifest names is outside the envelope's tenant prefix
   */
  public TaskEnvelope grant(TaskEnvelope envelope) {
    long now = clock.millis();
    Duration ttl =
        envelope.getDeadlineMs() > now
            ? Duration.ofMillis(envelope.getDeadlineMs() - now).plus(afterDeadline)
            : WITHOUT_DEADLINE;
    Set<String> reads = new LinkedHashSet<>();
    Set<String> writes = new LinkedHashSet<>();
    FunctionSpec fn = envelope.getFunction();
    addFunction(fn, reads);
    TenantScope scope = scope(envelope.getTenantId());
    if (!fn.getManifestKey().isEmpty()) {
      addFunction(manifest(require(scope, fn.getManifestKey())), reads);
    }
    for (TaskInput task : envelope.getTasksList()) {
      if (task.hasKey()) {
        reads.add(task.getKey());
      }
      if (!task.getResultKey().isEmpty()) {
        writes.add(task.getResultKey());
      }
      if (!task.getLogKey().isEmpty()) {
        writes.add(task.getLogKey());
      }
    }
    for (String key : reads) {
      require(scope, key);
    }
    for (String key : writes) {
      require(scope, key);
    }
    TaskEnvelope.Builder b =
        envelope.toBuilder()
            .setStorage(StorageSettings.newBuilder().setType(TaskRunner.GRANTED_STORAGE))
            .clearGrants();
    reads.forEach(k -> b.addGrants(presign(k, false, ttl)));
    writes.forEach(k -> b.addGrants(presign(k, true, ttl)));
    return b.build();
  }

  private static TenantScope scope(String tenant) {
    try {
      return TenantScope.of(tenant);
    } catch (IllegalArgumentException e) {
      throw new BackendException(Kind.PERMANENT, "refusing to pre-sign: " + e.getMessage(), e);
    }
  }

  private static String require(TenantScope scope, String key) {
    try {
      return scope.require(key);
    } catch (IllegalArgumentException e) {
      throw new BackendException(Kind.PERMANENT, "refusing to pre-sign: " + e.getMessage(), e);
    }
  }

  private ObjectGrant presign(String key, boolean write, Duration ttl) {
    String url =
        store
            .presign(key, write, ttl)
            .orElseThrow(
                () ->
                    new BackendException(
                        Kind.PERMANENT,
                        "the server's store cannot pre-sign URLs; Lambda workers need S3 storage"))
            .toString();
    return ObjectGrant.newBuilder().setKey(key).setUrl(url).setWrite(write).build();
  }

  private FunctionSpec manifest(String key) {
    return manifests.computeIfAbsent(
        key,
        k -> {
          byte[] data =
              store
                  .read(k)
                  .orElseThrow(
                      () ->
                          new BackendException(
                              Kind.PERMANENT, "function manifest " + k + " is missing"));
          try {
            return FunctionSpec.parseFrom(data);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new BackendException(Kind.PERMANENT, "function manifest " + k + " is corrupt", e);
          }
        });
  }

  private static void addFunction(FunctionSpec fn, Set<String> reads) {
    if (!fn.getManifestKey().isEmpty()) {
      reads.add(fn.getManifestKey());
    }
    if (!fn.getPayloadKey().isEmpty()) {
      reads.add(fn.getPayloadKey());
    }
    reads.addAll(fn.getJarKeysList());
  }
}
