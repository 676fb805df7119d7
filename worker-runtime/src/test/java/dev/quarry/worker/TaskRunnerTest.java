package dev.quarry.worker;

import static dev.quarry.worker.FunctionFixtures.builtin;
import static dev.quarry.worker.FunctionFixtures.envelope;
import static dev.quarry.worker.FunctionFixtures.fromJavaBytes;
import static dev.quarry.worker.FunctionFixtures.javaBytes;
import static dev.quarry.worker.FunctionFixtures.javaInput;
import static dev.quarry.worker.FunctionFixtures.jsonInput;
import static dev.quarry.worker.FunctionFixtures.storeSamplesJar;
import static dev.quarry.worker.FunctionFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.worker.samples.SampleFunctions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRunnerTest {
  @TempDir Path temp;
  Path storeRoot;
  ObjectStore store;
  TaskRunner runner;

  @BeforeEach
  void setUp() {
    storeRoot = temp.resolve("store");
    store = ObjectStores.open("fs", Map.of("root", storeRoot.toString()));
    runner = new TaskRunner("test-worker", temp.resolve("jars"), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    runner.close();
    store.close();
  }

  @Test
  void aFailedInvocationsLogLineNamesItsJobAndTheSubmittingRequest() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      InvocationSummary s =
          runner.run(
              envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, jsonInput("a", "1"))
                  .setJobId("job-9")
                  .setRequestId("req-77")
                  .setStorage(StorageSettings.newBuilder().setType("no-such-store"))
                  .build());
      assertThat(s.hasInvocationError()).isTrue();
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("(job job-9, request req-77) failed");
  }

  @Test
  void runsBuiltinsAndStoresJsonResultsAtResultKeys() {
    InvocationSummary echo =
        runner.run(
            envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, jsonInput("a", "{\"x\":[1,2]}"))
                .build());
    InvocationSummary checksum =
        runner.run(
            envelope(storeRoot, builtin("checksum"), Codec.CODEC_JSON, jsonInput("b", "\"abc\""))
                .build());

    assertThat(echo.hasInvocationError()).isFalse();
    assertThat(echo.getWorkerId()).isEqualTo("test-worker");
    assertThat(echo.getOutcomes(0).getOk()).isTrue();
    assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("{\"x\":[1,2]}");
    assertThat(text(store.read("results/b").orElseThrow()))
        .isEqualTo("\"" + FunctionFixtures.sha256("\"abc\"".getBytes()) + "\"");
    TaskOutcome outcome = checksum.getOutcomes(0);
    assertThat(outcome.getResultKey()).isEqualTo("results/b");
    assertThat(outcome.getResultSize()).isEqualTo(66);
    assertThat(outcome.getEndMs()).isGreaterThanOrEqualTo(outcome.getStartMs());
  }

  @Test
  void runsAChunkOfInputsInOrder() {
    TaskInput[] tasks = new TaskInput[5];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = jsonInput("t" + i, String.valueOf(i * 10));
    }
    InvocationSummary summary =
        runner.run(envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, tasks).build());

    assertThat(summary.getOutcomesList())
        .extracting(TaskOutcome::getTaskId)
        .containsExactly("t0", "t1", "t2", "t3", "t4");
    assertThat(summary.getOutcomesList()).allMatch(TaskOutcome::getOk);
    assertThat(text(store.read("results/t3").orElseThrow())).isEqualTo("30");
  }

  @Test
  void reportsColdStartOnlyWhenThisProcessFirstLoadsTheFunction() {
    var first =
        runner.run(
            envelope(storeRoot, builtin("noop"), Codec.CODEC_JSON, jsonInput("a", "1")).build());
    var second =
        runner.run(
            envelope(storeRoot, builtin("noop"), Codec.CODEC_JSON, jsonInput("b", "2")).build());

    assertThat(first.getColdStart()).isTrue();
    assertThat(second.getColdStart()).isFalse();
    assertThat(text(store.read("results/b").orElseThrow())).isEqualTo("null");
  }

  @Test
  void runsASerializedLambdaFromAStoredJarWithJavaCodec() throws Exception {
    FunctionSpec spec = serialized("square", SampleFunctions.square());

    InvocationSummary summary =
        runner.run(
            envelope(storeRoot, spec, Codec.CODEC_JAVA, javaInput("a", 7), javaInput("b", 12))
                .build());

    assertThat(summary.hasInvocationError()).as("%s", summary).isFalse();
    assertThat(summary.getOutcomesList()).allMatch(TaskOutcome::getOk);
    assertThat(fromJavaBytes(store.read("results/a").orElseThrow())).isEqualTo(49);
    assertThat(fromJavaBytes(store.read("results/b").orElseThrow())).isEqualTo(144);
  }

  @Test
  void storesWhatATaskPrintedAtItsLogKeyAndNothingForASilentTask() throws Exception {
    FunctionSpec printing = serialized("printing", SampleFunctions.printing());
    TaskInput loud = javaInput("a", 7).toBuilder().setLogKey("logs/a").build();
    TaskInput silent = jsonInput("b", "1").toBuilder().setLogKey("logs/b").build();

    InvocationSummary printed =
        runner.run(envelope(storeRoot, printing, Codec.CODEC_JAVA, loud).build());
    InvocationSummary quiet =
        runner.run(envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, silent).build());

    assertThat(printed.getOutcomes(0).getLogKey()).isEqualTo("logs/a");
    assertThat(text(store.read("logs/a").orElseThrow())).isEqualTo("out 7\nerr 7\n");
    assertThat(quiet.getOutcomes(0).getLogKey()).isEmpty();
    assertThat(store.read("logs/b")).isEmpty();
  }

  @Test
  void runsSerializedFunctionsInAnIsolatedClassLoaderWithCapturedValues() throws Exception {
    var loader =
        runner.run(
            envelope(
                    storeRoot,
                    serialized("loader", SampleFunctions.loaderName()),
                    Codec.CODEC_JAVA,
                    javaInput("a", 1))
                .build());
    var prefix =
        runner.run(
            envelope(
                    storeRoot,
                    serialized("prefix", SampleFunctions.prefix("n=")),
                    Codec.CODEC_JAVA,
                    javaInput("b", 5))
                .build());

    assertThat(loader.getOutcomes(0).getOk()).isTrue();
    assertThat(fromJavaBytes(store.read("results/a").orElseThrow())).isEqualTo("quarry-function");
    assertThat(fromJavaBytes(store.read("results/b").orElseThrow())).isEqualTo("n=5");
    assertThat(prefix.getColdStart()).isTrue();
  }

  @Test
  void runsAJarEntryFunctionWithJsonCodec() throws Exception {
    FunctionSpec spec =
        FunctionSpec.newBuilder()
            .setDigest("shout")
            .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
            .setEntryClass("dev.quarry.worker.samples.Shout")
            .addJarKeys(storeSamplesJar(store, temp))
            .build();

    InvocationSummary summary =
        runner.run(envelope(storeRoot, spec, Codec.CODEC_JSON, jsonInput("a", "\"hey\"")).build());

    assertThat(summary.getOutcomes(0).getOk()).isTrue();
    assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("\"HEY!\"");
  }

  @Test
  void reportsAFunctionExceptionAndStoresTheErrorAtTheResultKey() throws Exception {
    InvocationSummary summary =
        runner.run(
            envelope(
                    storeRoot,
                    builtin("fail"),
                    Codec.CODEC_JSON,
                    jsonInput("a", "\"boom\""),
                    jsonInput("b", "2"))
                .build());

    TaskOutcome outcome = summary.getOutcomes(0);
    assertThat(outcome.getOk()).isFalse();
    RemoteError error = outcome.getError();
    assertThat(error.getType()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(error.getMessage()).isEqualTo("boom");
    assertThat(error.getFunctionError()).isTrue();
    assertThat(error.getStackList()).isNotEmpty();
    assertThat(error.getStack(0).getClassName())
        .isEqualTo("dev.quarry.worker.internal.FailFunction");
    assertThat(error.getStackTraceText()).startsWith("java.lang.IllegalArgumentException: boom");
    assertThat(RemoteError.parseFrom(store.read("results/a").orElseThrow())).isEqualTo(error);
    assertThat(summary.getOutcomes(1).getError().getMessage()).isEqualTo("2");
  }

  @Test
  void failsTasksWithTimeoutOnceTheDeadlinePassed() {
    Clock late = Clock.fixed(Instant.ofEpochMilli(2_000), ZoneOffset.UTC);
    try (TaskRunner lateRunner = new TaskRunner("late", temp.resolve("jars"), late)) {
      InvocationSummary summary =
          lateRunner.run(
              envelope(
                      storeRoot,
                      builtin("echo"),
                      Codec.CODEC_JSON,
                      jsonInput("a", "1"),
                      jsonInput("b", "2"))
                  .setDeadlineMs(1_000)
                  .build());

      assertThat(summary.getOutcomesList()).hasSize(2).noneMatch(TaskOutcome::getOk);
      assertThat(summary.getOutcomesList())
          .extracting(o -> o.getError().getType())
          .containsOnly("java.util.concurrent.TimeoutException");
      assertThat(summary.getOutcomes(1).getError().getFunctionError()).isFalse();
      assertThat(store.exists("results/b")).isTrue();
    }
  }

  @Test
  void reportsAnUnserializableResultAsAFunctionError() throws Exception {
    FunctionSpec spec = serialized("unserializable", SampleFunctions.unserializableResult());

    InvocationSummary summary =
        runner.run(envelope(storeRoot, spec, Codec.CODEC_JAVA, javaInput("a", 1)).build());

    RemoteError error = summary.getOutcomes(0).getError();
    assertThat(error.getType()).isEqualTo("java.io.NotSerializableException");
    assertThat(error.getFunctionError()).isTrue();
  }

  @Test
  void setsInvocationErrorAndRunsNoTasksWhenAJarIsMissing() throws Exception {
    FunctionSpec spec =
        serialized("square", SampleFunctions.square()).toBuilder()
            .setDigest("missing-jar")
            .setJarKeys(0, "blobs/" + "0".repeat(64))
            .build();

    InvocationSummary summary =
        runner.run(envelope(storeRoot, spec, Codec.CODEC_JAVA, javaInput("a", 1)).build());

    assertThat(summary.getOutcomesList()).isEmpty();
    assertThat(summary.getInvocationError().getType()).isEqualTo("java.io.FileNotFoundException");
    assertThat(summary.getInvocationError().getFunctionError()).isTrue();
  }

  @Test
  void setsInvocationErrorForAnEntryClassThatIsNotAFunction() throws Exception {
    String jar = storeSamplesJar(store, temp);
    FunctionSpec.Builder spec =
        FunctionSpec.newBuilder().setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY).addJarKeys(jar);

    var notFunction =
        runner.run(
            envelope(
                    storeRoot,
                    spec.setDigest("d1")
                        .setEntryClass("dev.quarry.worker.samples.NotAFunction")
                        .build(),
                    Codec.CODEC_JSON,
                    jsonInput("a", "1"))
                .build());
    var missing =
        runner.run(
            envelope(
                    storeRoot,
                    spec.setDigest("d2").setEntryClass("dev.quarry.worker.samples.Missing").build(),
                    Codec.CODEC_JSON,
                    jsonInput("b", "1"))
                .build());

    assertThat(notFunction.getInvocationError().getType())
        .isEqualTo("java.lang.ClassCastException");
    assertThat(missing.getInvocationError().getType())
        .isEqualTo("java.lang.ClassNotFoundException");
    assertThat(missing.getInvocationError().getFunctionError()).isTrue();
  }

  @Test
  void readsInputsFromStorageKeysAndReportsEachTaskByIndex() throws Exception {
    store.put("inputs/a", "[1,\"two\"]".getBytes());
    TaskInput fromKey =
        TaskInput.newBuilder()
            .setTaskId("j:3")
            .setIndex(3)
            .setKey("inputs/a")
            .setResultKey("results/a")
            .build();
    TaskInput missing =
        TaskInput.newBuilder()
            .setTaskId("j:7")
            .setIndex(7)
            .setKey("inputs/b")
            .setResultKey("results/b")
            .build();

    InvocationSummary summary =
        runner.run(
            envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, fromKey, missing).build());

    assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("[1,\"two\"]");
    RemoteError missingError = summary.getOutcomes(1).getError();
    assertThat(missingError.getType()).isEqualTo("java.io.FileNotFoundException");
    assertThat(missingError.getFunctionError()).isFalse();
    assertThat(summary.getOutcomesList()).extracting(o -> o.getIndex()).containsExactly(3, 7);
    // the summary travels back in the answer only: nothing else is written
    assertThat(store.list("")).containsExactlyInAnyOrder("inputs/a", "results/a", "results/b");
  }

  @Test
  void setsANonFunctionInvocationErrorWhenStorageCannotBeOpened() {
    var envelope = envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, jsonInput("a", "1"));
    envelope.getStorageBuilder().setType("nope");

    InvocationSummary summary = runner.run(envelope.build());

    assertThat(summary.getInvocationError().getType())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(summary.getInvocationError().getFunctionError()).isFalse();
  }

  private FunctionSpec serialized(String name, Function<Object, Object> function) throws Exception {
    String jar = storeSamplesJar(store, temp);
    byte[] payload = javaBytes(function);
    String payloadKey = "blobs/" + FunctionFixtures.sha256(payload);
    store.put(payloadKey, payload);
    return FunctionSpec.newBuilder()
        .setDigest(name + "-" + FunctionFixtures.sha256(payload))
        .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
        .setPayloadKey(payloadKey)
        .addJarKeys(jar)
        .build();
  }
}
