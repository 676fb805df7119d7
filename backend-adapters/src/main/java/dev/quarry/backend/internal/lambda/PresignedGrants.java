package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
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
 * write (its results and status), valid until a minute after its deadline; storage type {@value
 * TaskRunner#GRANTED_STORAGE}, no settings.
 */
final class PresignedGrants {
  static final Duration AFTER_DEADLINE = Duration.ofMinutes(1);
  static final Duration WITHOUT_DEADLINE = Duration.ofMinutes(16);

  private final ObjectStore store;
  private final Clock clock;
  private final Map<String, FunctionSpec> manifests = new ConcurrentHashMap<>();

  PresignedGrants(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @throws BackendException ({@link Kind#PERMANENT}) if the store cannot presign
   */
  TaskEnvelope grant(TaskEnvelope envelope) {
    long now = clock.millis();
    Duration ttl =
        envelope.getDeadlineMs() > now
            ? Duration.ofMillis(envelope.getDeadlineMs() - now).plus(AFTER_DEADLINE)
            : WITHOUT_DEADLINE;
    Set<String> reads = new LinkedHashSet<>();
    Set<String> writes = new LinkedHashSet<>();
    FunctionSpec fn = envelope.getFunction();
    addFunction(fn, reads);
    if (!fn.getManifestKey().isEmpty()) {
      addFunction(manifest(fn.getManifestKey()), reads);
    }
    for (TaskInput task : envelope.getTasksList()) {
      if (task.hasKey()) {
        reads.add(task.getKey());
      }
      if (!task.getResultKey().isEmpty()) {
        writes.add(task.getResultKey());
      }
    }
    TaskEnvelope.Builder b =
        envelope.toBuilder()
            .setStorage(StorageSettings.newBuilder().setType(TaskRunner.GRANTED_STORAGE))
            .clearGrants();
    reads.forEach(k -> b.addGrants(presign(k, false, ttl)));
    writes.forEach(k -> b.addGrants(presign(k, true, ttl)));
    return b.build();
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
