package dev.quarry.bench;

import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.testkit.S3Fixture;
import dev.quarry.worker.lambda.LambdaPayloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Dispatch throughput on the Lambda backend, measured against the Lambda emulator answering in this
 * JVM (no worker): the server claims, builds envelopes, signs and sends real Invoke calls, parses
 * responses and records every outcome in PostgreSQL. Prints invocations per second for a
 * 10,000-input map with chunk size 1, then the wall time of 10,000 invocations of a 100 ms function
 * at concurrency 1,000 (ideal: 1 s). Arguments go to the server, as for {@link Bench}.
 */
public final class LambdaBench {
  private static final String KEY_ID = "bench-access-key-id";
  private static final String SECRET = "quarry-bench-secret";
  private static volatile long functionMillis;

  private LambdaBench() {}

  public static void main(String[] args) throws Exception {
    S3Fixture s3 = S3Fixture.start("bench", "bench-s3-secret");
    LambdaEmulator emulator = startEmulator();
    Path home = Bench.tempHome("quarry-lambda-bench");
    ConfigurableApplicationContext ctx = Bench.startServer(serverArgs(home, s3, args));
    try {
      BenchRest rest = Bench.rest(ctx, home);
      createProfile(rest, "bench", emulator);

      functionMillis = 0;
      for (int i = 0; i < 3; i++) {
        run(rest, "bench", 10_000);
      }
      System.out.println("warm-up: 3 x 10,000 invocations");
      double secs = run(rest, "bench", 10_000);
      System.out.printf(
          "Lambda dispatch, 10,000 inputs, chunk 1, emulator answering at once: %.2f s (%,.0f invocations/s)%n",
          secs, 10_000 / secs);
      functionMillis = 100;
      run(rest, "bench", 2_000);
      secs = run(rest, "bench", 10_000);
      System.out.printf(
          "100 ms function, 10,000 inputs, concurrency 1,000: %.2f s (ideal 1.00 s)%n", secs);
      var stats = emulator.stats();
      System.out.printf(
          "emulator: %,d invocations, %d throttled%n", stats.invocations(), stats.throttled());
    } finally {
      ctx.close();
      emulator.close();
      s3.close();
    }
  }

  /**
   * The Lambda emulator the maps run on, answering in this JVM with {@link #answer}; at most 1,000
   * instances of a function, 2,000 concurrent invocations.
   */
  static LambdaEmulator startEmulator() throws java.io.IOException {
    LambdaEmulator emulator =
        LambdaEmulator.start(
            EmulatorOptions.builder()
                .credentials(KEY_ID, SECRET)
                .region("us-east-1")
                .concurrencyLimit(2000)
                .maxInstancesPerFunction(1000)
                .stateTransitionDelay(Duration.ofMillis(50))
                .build());
    emulator.registerInProcess(RuntimeSpec.HANDLER, LambdaBench::answer);
    return emulator;
  }

  /** A Lambda bench server's arguments: data in {@code s3}, then {@code more}. */
  static List<String> serverArgs(Path home, S3Fixture s3, String... more) {
    List<String> args =
        Bench.serverArgs(
            home,
            "--quarry.lambda.allow-endpoint-override=true",
            "--quarry.tenant-defaults.max-concurrent-invocations=2000");
    args.addAll(s3.serverArgs("bench"));
    args.addAll(Arrays.asList(more));
    return args;
  }

  /**
   * Creates the AWS credential and the Lambda profile {@code profile} (concurrency 1,000) on {@code
   * emulator}, and deploys its worker.
   */
  static void createProfile(BenchRest rest, String profile, LambdaEmulator emulator)
      throws Exception {
    rest.send(
        "PUT",
        "/v1/credentials/bench-aws",
        "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\""
            + KEY_ID
            + "\",\"secretAccessKey\":\""
            + SECRET
            + "\"}}");
    rest.send(
        "PUT",
        "/v1/profiles/" + profile,
        "{\"backend\":\"lambda\",\"credential\":\"bench-aws\",\"settings\":{"
            + "\"region\":\"us-east-1\",\"endpoint\":\""
            + emulator.endpoint()
            + "\",\"role\":\"arn:aws:iam::000000000000:role/bench\","
            + "\"concurrency\":\"1000\",\"maxAttempts\":\"5\"}}");
    rest.send("POST", "/v1/profiles/" + profile + "/runtimes", "");
  }

  /** Seconds from submit until the job has succeeded. */
  static double run(BenchRest rest, String profile, int n) throws Exception {
    String inputs =
        IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(","));
    long start = System.nanoTime();
    JsonNode job =
        rest.send(
            "POST",
            "/v1/jobs",
            "{\"function\":\"noop\",\"profile\":\""
                + profile
                + "\",\"chunkSize\":1,\"inputs\":["
                + inputs
                + "]}");
    String id = job.get("id").asString();
    while (true) {
      JsonNode status = rest.send("GET", "/v1/jobs/" + id, null);
      String state = status.get("state").asString();
      if (state.equals("SUCCEEDED")) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (!state.equals("RUNNING")) {
        String results = rest.text("GET", "/v1/jobs/" + id + "/results", null);
        throw new IllegalStateException(
            "bench job ended "
                + state
                + ": "
                + status
                + "; first results: "
                + results.substring(0, Math.min(results.length(), 2000)));
      }
      Thread.sleep(20);
    }
  }

  /** What the worker would answer, without running anything: every task succeeded. */
  static byte[] answer(byte[] payload, String requestId) throws Exception {
    long start = System.currentTimeMillis();
    if (functionMillis > 0) {
      Thread.sleep(functionMillis);
    }
    TaskEnvelope envelope = LambdaPayloads.decodeRequest(payload);
    InvocationSummary.Builder summary =
        InvocationSummary.newBuilder()
            .setInvocationId(envelope.getInvocationId())
            .setWorkerId("bench")
            .setStartMs(start);
    long end = System.currentTimeMillis();
    for (TaskInput t : envelope.getTasksList()) {
      summary.addOutcomes(
          TaskOutcome.newBuilder()
              .setTaskId(t.getTaskId())
              .setIndex(t.getIndex())
              .setAttempt(t.getAttempt())
              .setOk(true)
              .setResultKey(t.getResultKey())
              .setStartMs(start)
              .setEndMs(end));
    }
    return LambdaPayloads.encodeResponse(summary.setEndMs(end).build());
  }
}
