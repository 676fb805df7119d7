package dev.quarry.backend.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.backend.internal.grants.InvocationGrant;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grant check of worker storage calls, against a real filesystem store. */
class StorageChannelTest {
  private static final String MANIFEST = "tenants/b/functions/f1/manifest";
  private static final String JAR = "tenants/b/blobs/jar1";
  private static final String INPUT = "tenants/b/jobs/j2/inputs/0";
  private static final String RESULT = "tenants/b/jobs/j2/results/0-1";
  private static final String LOG = "tenants/b/jobs/j2/logs/0.1";

  @TempDir Path temp;
  private ObjectStore store;
  private StorageChannel channel;

  @BeforeEach
  void fill() {
    store = ObjectStores.open("fs", Map.of("root", temp.toString()));
    channel = new StorageChannel(store, 1 << 20, null);
    store.put(
        MANIFEST,
        FunctionSpec.newBuilder()
            .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
            .addJarKeys(JAR)
            .build()
            .toByteArray());
    store.put(JAR, bytes("jar of b"));
    store.put(INPUT, bytes("input of j2"));
    store.put("tenants/a/jobs/j1/inputs/0", bytes("tenant a's input"));
    store.put("tenants/b/jobs/j1/results/0-1", bytes("b's previous result"));
    store.put("tenants/b/jobs/j3/inputs/0", bytes("b's other job"));
  }

  @Test
  void readsAndWritesExactlyWhatTheRunningInvocationWasGranted() {
    PendingInvocation running = invocation("inv-2");

    assertThat(read(running, INPUT).getData().toStringUtf8()).isEqualTo("input of j2");
    assertThat(write(running, RESULT).getError()).isEmpty();
    assertThat(store.read(RESULT)).isPresent();
    assertThat(write(running, LOG).getError()).isEmpty();
    assertThat(store.read(LOG)).isPresent();
    assertThat(read(running, LOG).getDenied()).as("logs are write-only").isTrue();
  }

  @Test
  void deniesOtherTenantsObjectsPreviousResultsAndOtherJobsInputs() {
    PendingInvocation running = invocation("inv-2");

    for (String key :
        new String[] {
          "tenants/a/jobs/j1/inputs/0",
          "tenants/b/jobs/j1/results/0-1",
          "tenants/b/jobs/j3/inputs/0",
          "../../etc/passwd",
          RESULT // write-only
        }) {
      StorageReply reply = read(running, key);
      assertThat(reply.getDenied()).as(key).isTrue();
      assertThat(reply.getData().isEmpty()).as(key).isTrue();
    }
    assertThat(write(running, "tenants/a/jobs/j1/inputs/0").getDenied()).isTrue();
    assertThat(write(running, INPUT).getDenied()).as("inputs are read-only").isTrue();
    assertThat(
            new String(
                store.read("tenants/a/jobs/j1/inputs/0").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("tenant a's input");
  }

  @Test
  void grantsNothingOutsideTheTenantPrefixWhateverTheEnvelopeOrItsManifestNames() {
    String evilManifest = "tenants/b/functions/evil";
    store.put(
        evilManifest,
        FunctionSpec.newBuilder()
            .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
            .addJarKeys("tenants/a/jobs/j1/inputs/0")
            .addJarKeys("tenants/b/../a/jobs/j1/inputs/0")
            .build()
            .toByteArray());
    TaskEnvelope envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId("inv-4")
            .setTenantId("b")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                    .setManifestKey(evilManifest))
            .addTasks(TaskInput.newBuilder().setKey("tenants/a/jobs/j1/inputs/0"))
            .addTasks(TaskInput.newBuilder().setResultKey("tenants/a/jobs/j1/results/0.1"))
            .addTasks(TaskInput.newBuilder().setResultKey("tenants/b/../a/jobs/j1/inputs/0"))
            .addTasks(TaskInput.newBuilder().setLogKey("tenants/a/jobs/j1/logs/0.1"))
            .build();
    PendingInvocation running =
        new PendingInvocation(envelope, new CompletableFuture<>(), 0, InvocationGrant.of(envelope));

    assertThat(read(running, evilManifest).getFound()).isTrue();
    for (String key :
        new String[] {"tenants/a/jobs/j1/inputs/0", "tenants/b/../a/jobs/j1/inputs/0"}) {
      assertThat(read(running, key).getDenied()).as(key).isTrue();
    }
    assertThat(write(running, "tenants/a/jobs/j1/results/0.1").getDenied()).isTrue();
    assertThat(write(running, "tenants/a/jobs/j1/logs/0.1").getDenied()).isTrue();
    assertThat(write(running, "tenants/b/../a/jobs/j1/inputs/0").getDenied()).isTrue();
    assertThat(store.exists("tenants/a/jobs/j1/results/0.1")).isFalse();
    assertThat(
            new String(
                store.read("tenants/a/jobs/j1/inputs/0").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("tenant a's input");
  }

  @Test
  void jarsNamedByTheManifestAreGrantedOnlyOnceTheManifestWasRead() {
    PendingInvocation running = invocation("inv-2");

    assertThat(read(running, JAR).getDenied()).isTrue();
    assertThat(read(running, MANIFEST).getFound()).isTrue();
    assertThat(read(running, JAR).getData().toStringUtf8()).isEqualTo("jar of b");
  }

  @Test
  void aGrantExpiresWhenItsInvocationIsNoLongerRunning() {
    PendingInvocation finished = invocation("inv-2");
    PendingInvocation next = invocation("inv-3");

    StorageCall reuse =
        StorageCall.newBuilder()
            .setInvocationId("inv-2")
            .setOp(StorageCall.Op.OP_READ)
            .setKey(INPUT)
            .setLength(1024)
            .build();
    assertThat(channel.serve("w", next, reuse).getDenied()).isTrue();
    assertThat(channel.serve("w", null, reuse).getDenied()).isTrue();
    assertThat(channel.serve("w", finished, reuse).getDenied()).isFalse();
  }

  @Test
  void rejectsObjectsOverTheSizeLimit() {
    StorageReply reply =
        channel.serve(
            "w",
            invocation("inv-2"),
            StorageCall.newBuilder()
                .setInvocationId("inv-2")
                .setOp(StorageCall.Op.OP_WRITE)
                .setKey(RESULT)
                .setData(ByteString.copyFrom(new byte[(1 << 20) + 1]))
                .build());
    assertThat(reply.getError()).contains("exceeds the limit");
    assertThat(store.exists(RESULT)).isFalse();
  }

  private StorageReply read(PendingInvocation running, String key) {
    return channel.serve(
        "w",
        running,
        StorageCall.newBuilder()
            .setInvocationId(running.id())
            .setOp(StorageCall.Op.OP_READ)
            .setKey(key)
            .setLength(1 << 20)
            .build());
  }

  private StorageReply write(PendingInvocation running, String key) {
    return channel.serve(
        "w",
        running,
        StorageCall.newBuilder()
            .setInvocationId(running.id())
            .setOp(StorageCall.Op.OP_WRITE)
            .setKey(key)
            .setData(ByteString.copyFromUtf8("x"))
            .build());
  }

  private static PendingInvocation invocation(String id) {
    TaskEnvelope envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId(id)
            .setTenantId("b")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                    .setManifestKey(MANIFEST))
            .addTasks(TaskInput.newBuilder().setKey(INPUT).setResultKey(RESULT).setLogKey(LOG))
            .build();
    return new PendingInvocation(
        envelope, new CompletableFuture<>(), 0, InvocationGrant.of(envelope));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
