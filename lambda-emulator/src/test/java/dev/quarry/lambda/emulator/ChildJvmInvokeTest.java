package dev.quarry.lambda.emulator;

import static dev.quarry.lambda.emulator.TestFunctions.invoke;
import static dev.quarry.lambda.emulator.TestFunctions.log;
import static dev.quarry.lambda.emulator.TestFunctions.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quarry.lambda.emulator.testfn.BrokenInitHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Invocations running in child JVMs with the real runtime interface client. */
class ChildJvmInvokeTest {

  private static LambdaEmulator emu;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() {
    emu =
        LambdaEmulator.start(
            LambdaClients.options()
                .maxInstancesPerFunction(4)
                .stateTransitionDelay(Duration.ofMillis(100))
                .instanceEnvironment(Map.of("ROLE_MARKER", "from-role"))
                .build());
    lambda = LambdaClients.client(emu);
  }

  @AfterAll
  static void stop() {
    lambda.close();
    emu.close();
    assertThat(TestFunctions.liveChildJvms()).isZero();
  }

  @Test
  void firstInvocationIsColdAndTheNextReusesTheWarmInstance() {
    TestFunctions.create(lambda, "warm", 10, Map.of("GREETING", "hello"));

    InvokeResponse cold = invoke(lambda, "warm", "{\"action\":\"print\",\"lines\":2}");
    InvokeResponse warm = invoke(lambda, "warm", "{\"action\":\"print\",\"lines\":1}");

    assertThat(cold.statusCode()).isEqualTo(200);
    assertThat(cold.functionError()).isNull();
    assertThat(cold.executedVersion()).isEqualTo("$LATEST");
    assertThat(cold.payload().asUtf8String()).startsWith("{\"printed\":2");
    String coldLog = log(cold);
    String requestId = cold.responseMetadata().requestId();
    assertThat(coldLog)
        .startsWith("START RequestId: " + requestId + " Version: $LATEST\n")
        .contains("line 1 of " + requestId + "\nline 2 of " + requestId + "\nto stderr\n")
        .contains("END RequestId: " + requestId + "\n")
        .containsPattern(
            "REPORT RequestId: "
                + requestId
                + "\tDuration: \\d+\\.\\d\\d ms\tBilled Duration: \\d+ ms\tMemory Size: 256 MB\tMax"
                + " Memory Used: [1-9]\\d* MB\tInit Duration: \\d+\\.\\d\\d ms\t")
        .doesNotContain("TestHandler initialising");
    String warmLog = log(warm);
    assertThat(warmLog).contains("REPORT RequestId: ").doesNotContain("Init Duration");
    assertThat(warmLog).contains("line 1 of " + warm.responseMetadata().requestId());
    assertThat(pid(warm)).isEqualTo(pid(cold));

    InvokeResponse env = invoke(lambda, "warm", "{\"action\":\"env\",\"name\":\"GREETING\"}");
    assertThat(env.payload().asUtf8String())
        .contains("\"value\":\"hello\"", "\"function\":\"warm\"", "\"memory\":256");
    assertThat(
            invoke(lambda, "warm", "{\"action\":\"env\",\"name\":\"ROLE_MARKER\"}")
                .payload()
                .asUtf8String())
        .contains("\"value\":\"from-role\"");
    assertThat(
            invoke(lambda, "warm", "{\"action\":\"env\",\"name\":\"TZ\"}").payload().asUtf8String())
        .contains("\"value\":\":UTC\"");
    assertThat(emu.function("warm"))
        .hasValueSatisfying(f -> assertThat(f.liveInstances()).isEqualTo(1));
  }

  @Test
  void runsUpToMaxInstancesAtOnceAndQueuesTheRest() throws Exception {
    TestFunctions.create(lambda, "parallel", 10, Map.of());
    String sleep = "{\"action\":\"sleep\",\"ms\":300}";
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      Set<Long> warmed = pids(pool, 4, sleep);
      assertThat(warmed).hasSize(4);

      long start = System.nanoTime();
      Set<Long> used = pids(pool, 8, sleep);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(used).isEqualTo(warmed);
      assertThat(elapsed).isBetween(Duration.ofMillis(600), Duration.ofMillis(2000));
    }
    assertThat(emu.function("parallel"))
        .hasValueSatisfying(f -> assertThat(f.liveInstances()).isEqualTo(4));
  }

  private static Set<Long> pids(ExecutorService pool, int n, String payload) throws Exception {
    List<Future<InvokeResponse>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(pool.submit(() -> invoke(lambda, "parallel", payload)));
    }
    Set<Long> pids = new HashSet<>();
    for (Future<InvokeResponse> f : futures) {
      InvokeResponse r = f.get();
      assertThat(r.functionError()).isNull();
      pids.add(pid(r));
    }
    return pids;
  }

  @Test
  void handlerExceptionIsAnUnhandledFunctionError() {
    TestFunctions.create(lambda, "throws", 10, Map.of());

    InvokeResponse r = invoke(lambda, "throws", "{\"action\":\"throw\",\"message\":\"kaboom\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(r.payload().asUtf8String())
        .contains(
            "\"errorMessage\":\"kaboom\"",
            "\"errorType\":\"java.lang.IllegalStateException\"",
            "\"stackTrace\"");
    assertThat(invoke(lambda, "throws", "{\"action\":\"echo\"}").functionError()).isNull();
  }

  @Test
  void invocationPastTheTimeoutIsKilledAndTheNextOneStartsCold() {
    TestFunctions.create(lambda, "slow", 1, Map.of());
    long firstPid = pid(invoke(lambda, "slow", "{\"action\":\"sleep\",\"ms\":0}"));

    long start = System.nanoTime();
    InvokeResponse timedOut = invoke(lambda, "slow", "{\"action\":\"sleep\",\"ms\":5000}");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(timedOut.functionError()).isEqualTo("Unhandled");
    assertThat(timedOut.payload().asUtf8String())
        .contains("\"errorType\":\"Sandbox.Timedout\"")
        .containsPattern(
            "\"errorMessage\":\"\\d{4}-\\d\\d-\\d\\dT[^ ]+Z "
                + timedOut.responseMetadata().requestId()
                + " Task timed out after 1.00 seconds\"");
    assertThat(log(timedOut)).contains("Duration: 1000.00 ms", "Status: timeout");
    assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofMillis(3000));
    assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

    InvokeResponse next = invoke(lambda, "slow", "{\"action\":\"sleep\",\"ms\":0}");
    assertThat(next.functionError()).isNull();
    assertThat(pid(next)).isNotEqualTo(firstPid);
    assertThat(log(next)).contains("Init Duration");
    assertThat(emu.stats().timeouts()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void runtimeExitIsAnExitErrorAndTheNextInvocationIsCold() {
    TestFunctions.create(lambda, "exits", 10, Map.of());
    long firstPid = pid(invoke(lambda, "exits", "{\"action\":\"sleep\",\"ms\":0}"));

    InvokeResponse crashed = invoke(lambda, "exits", "{\"action\":\"exit\",\"status\":3}");

    String requestId = crashed.responseMetadata().requestId();
    assertThat(crashed.functionError()).isEqualTo("Unhandled");
    assertThat(crashed.payload().asUtf8String())
        .contains(
            "\"errorType\":\"Runtime.ExitError\"",
            "\"errorMessage\":\"RequestId: "
                + requestId
                + " Error: Runtime exited with error: exit status 3\"");
    assertThat(log(crashed)).contains("exiting\n", "Runtime.ExitError");

    InvokeResponse next = invoke(lambda, "exits", "{\"action\":\"sleep\",\"ms\":0}");
    assertThat(next.functionError()).isNull();
    assertThat(pid(next)).isNotEqualTo(firstPid);
    assertThat(log(next)).contains("Init Duration");
  }

  @Test
  void injectedCrashKillsTheInstanceMidInvocation() {
    TestFunctions.create(lambda, "crashy", 10, Map.of());
    long firstPid = pid(invoke(lambda, "crashy", "{\"action\":\"sleep\",\"ms\":0}"));
    long crashesBefore = emu.stats().crashes();

    emu.faults().crashRate(1.0);
    InvokeResponse crashed;
    try {
      crashed = invoke(lambda, "crashy", "{\"action\":\"sleep\",\"ms\":2000}");
    } finally {
      emu.faults().reset();
    }

    assertThat(crashed.functionError()).isEqualTo("Unhandled");
    assertThat(crashed.payload().asUtf8String())
        .contains("Runtime.ExitError", "Runtime exited with error: signal: killed");
    assertThat(emu.stats().crashes()).isEqualTo(crashesBefore + 1);
    assertThat(pid(invoke(lambda, "crashy", "{\"action\":\"sleep\",\"ms\":0}")))
        .isNotEqualTo(firstPid);
  }

  @Test
  void initFailureIsReportedToTheInvocation() {
    lambda.createFunction(
        CreateFunctionRequest.builder()
            .functionName("no-class")
            .runtime(Runtime.JAVA21)
            .role(TestFunctions.ROLE)
            .handler("com.example.Missing::handleRequest")
            .code(c -> c.zipFile(SdkBytes.fromByteArray(TestFunctions.zip())))
            .build());
    TestFunctions.fastWaiter(lambda).waitUntilFunctionActiveV2(r -> r.functionName("no-class"));

    InvokeResponse r = invoke(lambda, "no-class", "{}");

    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(r.payload().asUtf8String()).contains("com.example.Missing");
  }

  @Test
  void initErrorFailsTheInvocationAndDiscardsTheInstance() {
    lambda.createFunction(
        CreateFunctionRequest.builder()
            .functionName("broken-init")
            .runtime(Runtime.JAVA21)
            .role(TestFunctions.ROLE)
            .handler(BrokenInitHandler.class.getName())
            .code(c -> c.zipFile(SdkBytes.fromByteArray(TestFunctions.zip())))
            .build());
    TestFunctions.fastWaiter(lambda).waitUntilFunctionActiveV2(r -> r.functionName("broken-init"));

    InvokeResponse first = invoke(lambda, "broken-init", "{}");
    InvokeResponse second = invoke(lambda, "broken-init", "{}");

    System.out.println(first.payload().asUtf8String());
    assertThat(first.functionError()).isEqualTo("Unhandled");
    assertThat(first.payload().asUtf8String()).contains("cannot initialise");
    assertThat(log(second)).contains("Init Duration");
    assertThat(emu.function("broken-init"))
        .hasValueSatisfying(f -> assertThat(f.liveInstances()).isZero());
  }

  @Test
  void newCodeReplacesInstances() {
    TestFunctions.create(lambda, "redeploy", 10, Map.of());
    long before = pid(invoke(lambda, "redeploy", "{\"action\":\"sleep\",\"ms\":0}"));

    lambda.updateFunctionCode(
        r -> r.functionName("redeploy").zipFile(SdkBytes.fromByteArray(TestFunctions.zip("v2"))));
    TestFunctions.fastWaiter(lambda).waitUntilFunctionUpdatedV2(r -> r.functionName("redeploy"));
    InvokeResponse after = invoke(lambda, "redeploy", "{\"action\":\"sleep\",\"ms\":0}");

    assertThat(pid(after)).isNotEqualTo(before);
    assertThat(log(after)).contains("Init Duration");
    assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void eventAndDryRunInvocations() throws Exception {
    TestFunctions.create(lambda, "async", 10, Map.of());
    long invocationsBefore = emu.stats().invocations();

    InvokeResponse event =
        lambda.invoke(
            r ->
                r.functionName("async")
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"action\":\"sleep\",\"ms\":10}")));
    InvokeResponse dryRun =
        lambda.invoke(
            r ->
                r.functionName("async")
                    .invocationType(InvocationType.DRY_RUN)
                    .payload(SdkBytes.fromUtf8String("{}")));

    assertThat(event.statusCode()).isEqualTo(202);
    assertThat(dryRun.statusCode()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> assertThat(emu.stats().invocations()).isEqualTo(invocationsBefore + 1));
  }

  @Test
  void invokingAMissingFunctionIsNotFound() {
    assertThatThrownBy(() -> invoke(lambda, "missing", "{}"))
        .isInstanceOf(ResourceNotFoundException.class)
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
  }
}
