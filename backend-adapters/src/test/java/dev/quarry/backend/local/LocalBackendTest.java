package dev.quarry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.samples.Lambdas;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs real worker JVMs over this test JVM's class path. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalBackendTest {
  private static final AtomicInteger IDS = new AtomicInteger();

  @TempDir Path temp;
  private ComputeBackend backend;

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void runsChunksOfBuiltinsThroughAPoolOfTwo() throws Exception {
    backend = LocalBackends.create(options().poolSize(2).build());

    CompletableFuture<InvocationSummary> echo =
        backend.invoke(envelope("echo", "1", "[2]", "{\"a\":3}"));
    CompletableFuture<InvocationSummary> checksum = backend.invoke(envelope("checksum", "\"x\""));
    InvocationSummary echoed = echo.get(20, TimeUnit.SECONDS);

    assertThat(backend.type()).isEqualTo("local");
    assertThat(backend.capacity()).isEqualTo(4);
    assertThat(echoed.getWorkerId()).startsWith("local-");
    assertThat(echoed.getOutcomesList()).hasSize(3).allMatch(TaskOutcome::getOk);
    assertThat(read(echoed.getOutcomes(2).getResultKey())).isEqualTo("{\"a\":3}");
    assertThat(checksum.get(20, TimeUnit.SECONDS).getOutcomes(0).getOk()).isTrue();
  }

  @Test
  void runsASerializedLambdaFromAStoredJarInTheWorkerJvm() throws Exception {
    backend = LocalBackends.create(options().poolSize(1).build());
    String jarKey;
    String payloadKey = "tenants/t/blobs/payload-times-3";
    try (ObjectStore store = store()) {
      jarKey = SampleJars.storeJarOf(Lambdas.class, store, temp);
      store.put(payloadKey, SampleJars.javaBytes(Lambdas.times(3)));
    }
    TaskEnvelope envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId("serialized")
            .setTenantId("t")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setDigest("times-3")
                    .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
                    .setPayloadKey(payloadKey)
                    .addJarKeys(jarKey))
            .setCodec(Codec.CODEC_JAVA)
            .addTasks(
                TaskInput.newBuilder()
                    .setTaskId("t")
                    .setInline(ByteString.copyFrom(SampleJars.javaBytes(14)))
                    .setResultKey("tenants/t/results/serialized"))
            .setStorage(storage())
            .build();

    InvocationSummary summary = backend.invoke(envelope).get(20, TimeUnit.SECONDS);

    assertThat(summary.getOutcomes(0).getOk()).as("%s", summary).isTrue();
    assertThat(summary.getColdStart()).isTrue();
    try (ObjectStore store = store()) {
      assertThat(SampleJars.fromJavaBytes(store.read("tenants/t/results/serialized").orElseThrow()))
          .isEqualTo(42);
    }
  }

  @Test
  void completesTwoHundredConcurrentInvocations() throws Exception {
    backend = LocalBackends.create(options().poolSize(2).build());

    List<TaskEnvelope> envelopes = new ArrayList<>();
    List<CompletableFuture<InvocationSummary>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      envelopes.add(envelope("echo", String.valueOf(i)));
    }
    envelopes.parallelStream().map(backend::invoke).toList().forEach(futures::add);
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);

    Set<String> workers = new HashSet<>();
    for (int i = 0; i < futures.size(); i++) {
      InvocationSummary summary = futures.get(i).join();
      assertThat(summary.getOutcomes(0).getOk()).isTrue();
      workers.add(summary.getWorkerId());
    }
    assertThat(workers).hasSize(2);
  }

  @Test
  void workerKilledMidInvocationFailsOnlyItsInvocationWithCrashAndIsReplaced() throws Exception {
    Set<Long> before = childPids();
    backend = LocalBackends.create(options().poolSize(2).maxInFlightPerWorker(1).build());
    CompletableFuture<InvocationSummary> sleeping = backend.invoke(envelope("sleep", "30000"));
    String other = backend.invoke(envelope("echo", "1")).get(20, TimeUnit.SECONDS).getWorkerId();
    ProcessHandle victim =
        ProcessHandle.current()
            .children()
            .filter(p -> !before.contains(p.pid()) && !other.equals("local-" + p.pid()))
            .findFirst()
            .orElseThrow();

    victim.destroyForcibly();

    assertThatThrownBy(() -> sleeping.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.CRASH))
        .hasMessageContaining("worker " + victim.pid() + " exited");
    Set<String> seen = new HashSet<>();
    awaitTrue(
        () -> {
          // two concurrent invocations land on both workers once the replacement is up
          var a = backend.invoke(envelope("sleep", "100"));
          var b = backend.invoke(envelope("sleep", "100"));
          seen.add(a.join().getWorkerId());
          seen.add(b.join().getWorkerId());
          return seen.size() > 1;
        });
    assertThat(seen).contains(other).doesNotContain("local-" + victim.pid()).hasSize(2);
  }

  @Test
  void invocationPastItsDeadlineKillsTheWorkerAndFailsWithTimedOut() throws Exception {
    backend =
        LocalBackends.create(options().poolSize(1).deadlineGrace(Duration.ofMillis(200)).build());
    backend
        .invoke(envelope("echo", "0"))
        .get(20, TimeUnit.SECONDS); // warm, so the sleep starts in time
    TaskEnvelope stuck =
        envelope("sleep", "30000").toBuilder()
            .setDeadlineMs(System.currentTimeMillis() + 1000)
            .build();

    CompletableFuture<InvocationSummary> future = backend.invoke(stuck);

    assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.CRASH))
        .hasMessageContaining("timed out");
    InvocationSummary after = backend.invoke(envelope("echo", "2")).get(30, TimeUnit.SECONDS);
    assertThat(after.getOutcomes(0).getOk()).isTrue();
  }

  @Test
  void closeFailsQueuedAndRunningInvocationsAsTransient() throws Exception {
    backend = LocalBackends.create(options().poolSize(1).maxInFlightPerWorker(1).build());
    List<CompletableFuture<InvocationSummary>> futures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      futures.add(backend.invoke(envelope("sleep", "30000")));
    }

    long start = System.nanoTime();
    backend.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    for (CompletableFuture<InvocationSummary> future : futures) {
      assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              BackendException.class,
              e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.TRANSIENT));
    }
    assertThatThrownBy(() -> backend.invoke(envelope("echo", "1")).join())
        .cause()
        .isInstanceOf(BackendException.class);
  }

  @Test
  void aWorkerRunsOneTenantAndAnotherTenantsBacklogDoesNotStarveIt() throws Exception {
    backend = LocalBackends.create(options().poolSize(1).build());
    String first =
        backend.invoke(tenant("a", envelope("echo", "1"))).get(20, TimeUnit.SECONDS).getWorkerId();
    List<CompletableFuture<InvocationSummary>> backlog = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      backlog.add(backend.invoke(tenant("a", envelope("sleep", "300"))));
    }
    CompletableFuture<InvocationSummary> b = backend.invoke(tenant("b", envelope("echo", "2")));
    for (int i = 0; i < 20; i++) {
      backlog.add(backend.invoke(tenant("a", envelope("sleep", "300"))));
    }

    InvocationSummary ofB = b.get(40, TimeUnit.SECONDS);
    assertThat(ofB.getOutcomes(0).getOk()).isTrue();
    assertThat(ofB.getWorkerId()).as("b runs on a fresh worker, not a's").isNotEqualTo(first);
    assertThat(backlog.stream().filter(CompletableFuture::isDone).count())
        .as("a's backlog waited for b")
        .isLessThan(backlog.size());
    for (CompletableFuture<InvocationSummary> f : backlog) {
      assertThat(f.get(40, TimeUnit.SECONDS).getWorkerId()).isNotEqualTo(ofB.getWorkerId());
    }
  }

  private static TaskEnvelope tenant(String tenant, TaskEnvelope envelope) {
    TaskEnvelope.Builder b = envelope.toBuilder().setTenantId(tenant);
    b.getTasksBuilderList()
        .forEach(
            t -> t.setResultKey(t.getResultKey().replace("tenants/t/", "tenants/" + tenant + "/")));
    return b.build();
  }

  @Test
  void aStoreSelectorPutsEachInvocationsObjectsInTheStoreItChooses() throws Exception {
    try (ObjectStore teamStore =
        ObjectStores.open("fs", Map.of("root", temp.resolve("team").toString()))) {
      backend =
          LocalBackends.create(
              options()
                  .poolSize(1)
                  .storeSelector(
                      e -> {
                        if (e.getProfile().equals("broken")) {
                          throw new IllegalStateException("bucket unreachable");
                        }
                        return e.getProfile().equals("own") ? teamStore : store();
                      })
                  .build());

      TaskEnvelope own = envelope("echo", "\"team\"").toBuilder().setProfile("own").build();
      String ownKey = backend.invoke(own).get(20, TimeUnit.SECONDS).getOutcomes(0).getResultKey();
      String sharedKey =
          backend
              .invoke(envelope("echo", "\"shared\""))
              .get(20, TimeUnit.SECONDS)
              .getOutcomes(0)
              .getResultKey();

      assertThat(new String(teamStore.read(ownKey).orElseThrow(), StandardCharsets.UTF_8))
          .isEqualTo("\"team\"");
      try (ObjectStore server = store()) {
        assertThat(server.exists(ownKey)).as("the server's store").isFalse();
        assertThat(server.read(sharedKey)).isPresent();
      }
      assertThat(teamStore.exists(sharedKey)).isFalse();
      TaskEnvelope broken = own.toBuilder().setProfile("broken").build();
      assertThatThrownBy(() -> backend.invoke(broken).join())
          .hasCauseInstanceOf(BackendException.class)
          .hasMessageContaining("bucket unreachable");
    }
  }

  @Test
  void createFailsPermanentlyWhenTheWorkerCannotStart() {
    var options = options().poolSize(1).classpath(temp.toString()).build();

    assertThatThrownBy(() -> LocalBackends.create(options))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
        .hasMessageContaining("LocalWorkerMain");
  }

  private LocalBackendOptions.Builder options() {
    return LocalBackendOptions.builder()
        .store(store())
        .jvmArgs(
            concat(
                LocalBackendOptions.defaultJvmArgs(),
                "-XX:TieredStopAtLevel=1",
                "-Dquarry.worker.cacheDir=" + temp.resolve("jars")));
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  private TaskEnvelope envelope(String builtin, String... jsonInputs) {
    String id = "inv-" + IDS.incrementAndGet();
    TaskEnvelope.Builder envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId(id)
            .setTenantId("t")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setDigest("builtin:" + builtin)
                    .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
                    .setName(builtin))
            .setCodec(Codec.CODEC_JSON)
            .setStorage(storage());
    for (int i = 0; i < jsonInputs.length; i++) {
      envelope.addTasks(
          TaskInput.newBuilder()
              .setTaskId(id + "-" + i)
              .setIndex(i)
              .setInline(ByteString.copyFromUtf8(jsonInputs[i]))
              .setResultKey("tenants/t/results/" + id + "/" + i));
    }
    return envelope.build();
  }

  private StorageSettings storage() {
    return StorageSettings.newBuilder()
        .setType("fs")
        .putSettings("root", temp.resolve("store").toString())
        .build();
  }

  private ObjectStore store() {
    return ObjectStores.open("fs", Map.of("root", temp.resolve("store").toString()));
  }

  private String read(String key) {
    try (ObjectStore store = store()) {
      return new String(store.read(key).orElseThrow(), StandardCharsets.UTF_8);
    }
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static void awaitTrue(BooleanSupplier condition) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
