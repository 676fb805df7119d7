package dev.quarry.server.dispatch;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.StorageKeys;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.server.storage.WorkerStorage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Builds the small envelope a worker receives for one invocation. */
@Component
class EnvelopeFactory {
  private final WorkerStorage storage;
  private final ProfileStores stores;
  private final Clock clock;
  private final Map<String, FunctionSpec> manifests = new ConcurrentHashMap<>();

  EnvelopeFactory(WorkerStorage storage, ProfileStores stores, Clock clock) {
    this.storage = storage;
    this.stores = stores;
    this.clock = clock;
  }

  /**
   * The envelope of one invocation. Inputs travel as they were stored at submit (inline, or as a
   * storage key when larger than the job's lane takes inline), the same on every attempt.
   */
  TaskEnvelope build(JobRecord job, List<ClaimedTask> tasks) {
    String tenant = job.tenantId();
    String invocation = UUID.randomUUID().toString();
    TaskEnvelope.Builder b =
        TaskEnvelope.newBuilder()
            .setInvocationId(invocation)
            .setTenantId(tenant)
            .setJobId(job.id().toString())
            .setFunction(slimSpec(job, job.function()))
            .setCodec(Codec.valueOf("CODEC_" + job.function().codec()))
            .setDeadlineMs(clock.millis() + job.timeoutMs())
            .setStorage(storage.settings())
            .setRequestId(job.requestId());
    if (job.profile() != null) {
      b.setProfile(job.profile());
    }
    for (ClaimedTask t : tasks) {
      TaskInput.Builder in =
          TaskInput.newBuilder()
              .setTaskId(t.id().toString())
              .setIndex(t.index())
              .setAttempt(t.attempt())
              .setResultKey(StorageKeys.result(tenant, job.id(), t.index(), t.attempt()))
              .setLogKey(StorageKeys.log(tenant, job.id(), t.index(), t.attempt()));
      if (t.input() != null) {
        in.setInline(ByteString.copyFrom(t.input()));
      } else if (t.inputKey() != null) {
        in.setKey(t.inputKey());
      }
      b.addTasks(in);
    }
    return b.build();
  }

  /**
   * Functions with a classpath travel as a manifest key: the full spec is written to storage once
   * per bundle and store (idempotent: the job's profile may name its own bucket) and read by a
   * worker only when it has not loaded the function yet.
   */
  private FunctionSpec slimSpec(JobRecord job, FunctionRef fn) {
    String tenant = job.tenantId();
    if (fn.jarDigests().isEmpty()) {
      return spec(tenant, fn);
    }
    ProfileStores.Located at = stores.forProfile(tenant, job.profile());
    String key = StorageKeys.functionManifest(tenant, fn.bundleDigest());
    // the full spec (a storage key per jar, hundreds for a large classpath) is built only when
    // its manifest is not written yet, not for every invocation
    return manifests.computeIfAbsent(
        at.location() + "|" + key,
        k -> {
          FunctionSpec full = spec(tenant, fn);
          at.store().put(key, full.toByteArray());
          return FunctionSpec.newBuilder()
              .setDigest(full.getDigest())
              .setKind(full.getKind())
              .setName(full.getName())
              .setManifestKey(key)
              .build();
        });
  }

  private static FunctionSpec spec(String tenant, FunctionRef fn) {
    FunctionSpec.Builder s =
        FunctionSpec.newBuilder()
            .setDigest(fn.bundleDigest())
            .setKind(FunctionKind.valueOf("FUNCTION_KIND_" + fn.kind()))
            .setName(fn.name());
    if (fn.entryClass() != null) {
      s.setEntryClass(fn.entryClass());
    }
    if (fn.payloadDigest() != null) {
      s.setPayloadKey(StorageKeys.blob(tenant, fn.payloadDigest()));
    }
    for (String jar : fn.jarDigests()) {
      s.addJarKeys(StorageKeys.blob(tenant, jar));
    }
    return s.build();
  }
}
