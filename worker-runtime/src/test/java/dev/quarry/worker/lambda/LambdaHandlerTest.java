package dev.quarry.worker.lambda;

import static dev.quarry.worker.FunctionFixtures.builtin;
import static dev.quarry.worker.FunctionFixtures.envelope;
import static dev.quarry.worker.FunctionFixtures.jsonInput;
import static dev.quarry.worker.FunctionFixtures.sha256;
import static dev.quarry.worker.FunctionFixtures.storeSamplesJar;
import static dev.quarry.worker.FunctionFixtures.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.worker.TaskRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaHandlerTest {
  @TempDir Path temp;
  Path storeRoot;
  ObjectStore store;
  TaskRunner runner;
  LambdaHandler handler;

  @BeforeEach
  void setUp() {
    storeRoot = temp.resolve("store");
    store = ObjectStores.open("fs", Map.of("root", storeRoot.toString()));
    runner = new TaskRunner("lambda-test", temp.resolve("jars"), Clock.systemUTC());
    handler = new LambdaHandler(runner);
  }

  @AfterEach
  void tearDown() {
    runner.close();
    store.close();
  }

  @Test
  void runsTheRequestedEnvelopeAndAnswersItsSummary() throws Exception {
    TaskEnvelope envelope =
        envelope(
                storeRoot,
                builtin("checksum"),
                Codec.CODEC_JSON,
                jsonInput("a", "\"abc\""),
                jsonInput("b", "[1,2]"))
            .build();

    InvocationSummary summary = invoke(LambdaPayloads.encodeRequest(envelope));

    assertThat(summary.hasInvocationError()).as("%s", summary).isFalse();
    assertThat(summary.getInvocationId()).isEqualTo("inv-1");
    assertThat(summary.getWorkerId()).isEqualTo("lambda-test");
    assertThat(summary.getOutcomesList())
        .extracting(TaskOutcome::getTaskId, TaskOutcome::getOk, TaskOutcome::getResultKey)
        .containsExactly(tuple("a", true, "results/a"), tuple("b", true, "results/b"));
    assertThat(text(store.read("results/a").orElseThrow()))
        .isEqualTo("\"" + sha256("\"abc\"".getBytes(UTF_8)) + "\"");
    // the summary is the answer; nothing but the results is written
    assertThat(store.list("status/")).isEmpty();
  }

  @Test
  void runsAFunctionFromAStoredJarAndReusesItWhenWarm() throws Exception {
    FunctionSpec spec =
        FunctionSpec.newBuilder()
            .setDigest("shout")
            .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
            .setEntryClass("dev.quarry.worker.samples.Shout")
            .addJarKeys(storeSamplesJar(store, temp))
            .build();

    InvocationSummary cold =
        invoke(
            LambdaPayloads.encodeRequest(
                envelope(storeRoot, spec, Codec.CODEC_JSON, jsonInput("a", "\"hey\"")).build()));
    InvocationSummary warm =
        invoke(
            LambdaPayloads.encodeRequest(
                envelope(storeRoot, spec, Codec.CODEC_JSON, jsonInput("b", "\"ho\"")).build()));

    assertThat(cold.getColdStart()).isTrue();
    assertThat(warm.getColdStart()).isFalse();
    assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("\"HEY!\"");
    assertThat(text(store.read("results/b").orElseThrow())).isEqualTo("\"HO!\"");
  }

  @Test
  void answersAnInvocationErrorInTheSummaryInsteadOfFailing() throws Exception {
    var envelope = envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, jsonInput("a", "1"));
    envelope.getStorageBuilder().setType("nope");

    InvocationSummary summary = invoke(LambdaPayloads.encodeRequest(envelope.build()));

    assertThat(summary.getInvocationError().getType())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(summary.getInvocationError().getFunctionError()).isFalse();
  }

  @Test
  void throwsIllegalArgumentExceptionForARequestThatCannotBeDecoded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream("{\"input\":[1]}".getBytes(UTF_8)), out, null))
        .withMessageContaining("no field 'envelope'");
    assertThat(out.size()).isZero();
  }

  @Test
  void theLambdaConstructedHandlerSharesOneRunnerNamedAfterTheWorker() throws Exception {
    Path cacheDir = temp.resolve("shared-jars");
    String previous = System.getProperty(TaskRunner.CACHE_DIR_PROPERTY);
    System.setProperty(TaskRunner.CACHE_DIR_PROPERTY, cacheDir.toString());
    try {
      FunctionSpec spec =
          FunctionSpec.newBuilder()
              .setDigest("shout-shared")
              .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
              .setEntryClass("dev.quarry.worker.samples.Shout")
              .addJarKeys(storeSamplesJar(store, temp))
              .build();
      byte[] request =
          LambdaPayloads.encodeRequest(
              envelope(storeRoot, spec, Codec.CODEC_JSON, jsonInput("a", "\"hi\"")).build());

      InvocationSummary first = invoke(new LambdaHandler(), request);
      InvocationSummary second = invoke(new LambdaHandler(), request);

      assertThat(first.getWorkerId()).startsWith("lambda-").isEqualTo(second.getWorkerId());
      assertThat(first.getColdStart()).isTrue();
      assertThat(second.getColdStart()).isFalse();
      assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("\"HI!\"");
      try (var cached = Files.list(cacheDir)) {
        assertThat(cached).hasSize(1);
      }
    } finally {
      restore(previous);
    }
  }

  @Test
  void cachesJarsUnderTmpUnlessTheCacheDirPropertyIsSet() {
    String previous = System.getProperty(TaskRunner.CACHE_DIR_PROPERTY);
    try {
      System.clearProperty(TaskRunner.CACHE_DIR_PROPERTY);
      assertThat(LambdaHandler.jarCacheDir()).isEqualTo(Path.of("/tmp/quarry-worker/jars"));
      System.setProperty(TaskRunner.CACHE_DIR_PROPERTY, temp.toString());
      assertThat(LambdaHandler.jarCacheDir()).isEqualTo(temp);
    } finally {
      restore(previous);
    }
  }

  @Test
  void namesTheWorkerAfterTheLogStreamOrARandomSuffix() {
    assertThat(
            LambdaHandler.workerId(
                Map.of("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]0123abcd")))
        .isEqualTo("lambda-2026/01/01/[$LATEST]0123abcd");
    assertThat(LambdaHandler.workerId(Map.of()))
        .matches("lambda-[0-9a-f-]{36}")
        .isNotEqualTo(LambdaHandler.workerId(Map.of()));
  }

  private InvocationSummary invoke(byte[] request) throws IOException {
    return invoke(handler, request);
  }

  private static InvocationSummary invoke(LambdaHandler handler, byte[] request)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(request), out, null);
    return LambdaPayloads.decodeResponse(out.toByteArray());
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(TaskRunner.CACHE_DIR_PROPERTY);
    } else {
      System.setProperty(TaskRunner.CACHE_DIR_PROPERTY, previous);
    }
  }
}
