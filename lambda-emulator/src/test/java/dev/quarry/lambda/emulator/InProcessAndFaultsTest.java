package dev.quarry.lambda.emulator;

import static dev.quarry.lambda.emulator.TestFunctions.invoke;
import static dev.quarry.lambda.emulator.TestFunctions.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * In-process functions (no child JVM), authentication and fault injection. The in-process handler
 * is registered under the test handler's name, so the same deployment runs in this JVM.
 */
class InProcessAndFaultsTest {

  private static final String HANDLER = "bench::echo";
  private static LambdaEmulator emu;
  private static LambdaClient lambda;
  private static LambdaClient noRetries;
  private static final CountDownLatch release = new CountDownLatch(1);
  private static final AtomicInteger blocked = new AtomicInteger();

  @BeforeAll
  static void start() {
    emu =
        LambdaEmulator.start(
            LambdaClients.options()
                .maxInstancesPerFunction(64)
                .concurrencyLimit(100)
                .stateTransitionDelay(Duration.ZERO)
                .build());
    emu.registerInProcess(HANDLER, (payload, requestId) -> payload);
    emu.registerInProcess(
        "bench::fail",
        (payload, requestId) -> {
          throw new IllegalArgumentException("bad input " + requestId);
        });
    emu.registerInProcess(
        "bench::block",
        (payload, requestId) -> {
          blocked.incrementAndGet();
          release.await();
          return payload;
        });
    lambda = LambdaClients.client(emu);
    noRetries = LambdaClients.noRetries(emu);
    for (String[] fn :
        new String[][] {{"echo", HANDLER}, {"fail", "bench::fail"}, {"block", "bench::block"}}) {
      lambda.createFunction(
          CreateFunctionRequest.builder()
              .functionName(fn[0])
              .runtime(Runtime.JAVA21)
              .role(TestFunctions.ROLE)
              .handler(fn[1])
              .code(c -> c.zipFile(SdkBytes.fromByteArray(TestFunctions.zip())))
              .build());
    }
  }

  @AfterEach
  void resetFaults() {
    emu.faults().reset();
  }

  @AfterAll
  static void stop() {
    release.countDown();
    lambda.close();
    noRetries.close();
    emu.close();
  }

  @Test
  void inProcessFunctionIsColdOnceThenWarm() {
    LambdaEmulator solo =
        LambdaEmulator.start(LambdaClients.options().stateTransitionDelay(Duration.ZERO).build());
    try (solo;
        LambdaClient client = LambdaClients.client(solo)) {
      solo.registerInProcess("x::y", (payload, id) -> "\"ok\"".getBytes(StandardCharsets.UTF_8));
      client.createFunction(
          r ->
              r.functionName("solo")
                  .runtime(Runtime.JAVA21)
                  .role(TestFunctions.ROLE)
                  .handler("x::y")
                  .memorySize(512)
                  .code(c -> c.zipFile(SdkBytes.fromByteArray(TestFunctions.zip()))));

      InvokeResponse first = invoke(client, "solo", "{}");
      InvokeResponse second = invoke(client, "solo", "{}");

      assertThat(first.payload().asUtf8String()).isEqualTo("\"ok\"");
      assertThat(log(first)).contains("Memory Size: 512 MB", "Init Duration:");
      assertThat(log(second))
          .contains("REPORT RequestId: " + second.responseMetadata().requestId())
          .doesNotContain("Init Duration");
      assertThat(solo.stats().coldStarts()).isEqualTo(1);
      assertThat(solo.stats().instancesStarted()).isEqualTo(1);
      assertThat(TestFunctions.liveChildJvms()).isZero();
    }
  }

  @Test
  void answersThousandsOfInProcessInvocations() throws Exception {
    long before = emu.stats().invocations();
    int perThread = 125;
    int threads = 16;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < perThread; i++) {
                    String payload = "{\"n\":" + (thread * perThread + i) + "}";
                    InvokeResponse r =
                        lambda.invoke(
                            b -> b.functionName("echo").payload(SdkBytes.fromUtf8String(payload)));
                    if (r.statusCode() == 200 && r.payload().asUtf8String().equals(payload)) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      int ok = 0;
      for (Future<Integer> f : done) {
        ok += f.get();
      }
      assertThat(ok).isEqualTo(threads * perThread);
    }
    assertThat(emu.stats().invocations() - before).isEqualTo(2000);
    assertThat(emu.stats().apiCalls("Invoke")).isGreaterThanOrEqualTo(2000);
  }

  @Test
  void inProcessExceptionIsAnUnhandledFunctionError() {
    InvokeResponse r = invoke(lambda, "fail", "{}");

    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(r.payload().asUtf8String())
        .contains(
            "\"errorType\":\"java.lang.IllegalArgumentException\"",
            "\"errorMessage\":\"bad input " + r.responseMetadata().requestId() + "\"");
  }

  @Test
  void wrongSecretIsAnInvalidSignature() {
    try (LambdaClient wrong =
        LambdaClients.client(emu, LambdaClients.ACCESS_KEY, "not-the-secret", false)) {
      assertThatThrownBy(() -> invoke(wrong, "echo", "{}"))
          .isExactlyInstanceOf(LambdaException.class)
          .satisfies(
              e -> {
                LambdaException le = (LambdaException) e;
                assertThat(le.statusCode()).isEqualTo(403);
                assertThat(le.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(le.awsErrorDetails().errorMessage()).contains("signature");
              });
    }
  }

  @Test
  void unknownAccessKeyIsUnrecognized() {
    try (LambdaClient stranger =
        LambdaClients.client(emu, "AKIDSTRANGER", LambdaClients.SECRET, false)) {
      assertThatThrownBy(() -> stranger.listFunctions())
          .isExactlyInstanceOf(LambdaException.class)
          .satisfies(
              e -> {
                LambdaException le = (LambdaException) e;
                assertThat(le.statusCode()).isEqualTo(403);
                assertThat(le.awsErrorDetails().errorCode())
                    .isEqualTo("UnrecognizedClientException");
              });
    }
  }

  @Test
  void unsignedRequestsAndOtherRegionsAreRefused() throws Exception {
    HttpResponse<String> unsigned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        emu.endpoint().resolve("/2015-03-31/functions/echo/invocations"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.headers().firstValue("X-Amzn-ErrorType"))
        .hasValue("MissingAuthenticationTokenException");
    assertThat(unsigned.body()).contains("\"message\"");

    try (LambdaClient otherRegion =
        LambdaClient.builder()
            .endpointOverride(emu.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LambdaClients.ACCESS_KEY, LambdaClients.SECRET)))
            .build()) {
      assertThatThrownBy(() -> otherRegion.listFunctions())
          .isExactlyInstanceOf(LambdaException.class)
          .satisfies(
              e ->
                  assertThat(((LambdaException) e).awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void asyncClientSignaturesVerifyToo() throws Exception {
    try (LambdaAsyncClient async =
        LambdaAsyncClient.builder()
            .endpointOverride(emu.endpoint())
            .region(Region.of(LambdaClients.REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LambdaClients.ACCESS_KEY, LambdaClients.SECRET)))
            .build()) {
      CompletableFuture<InvokeResponse> r =
          async.invoke(
              b ->
                  b.functionName("echo")
                      .qualifier("$LATEST")
                      .payload(SdkBytes.fromUtf8String("[1,2]")));
      assertThat(r.get(10, TimeUnit.SECONDS).payload().asUtf8String()).isEqualTo("[1,2]");
      assertThat(
              async
                  .getFunction(
                      b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:echo"))
                  .get(10, TimeUnit.SECONDS)
                  .configuration()
                  .functionName())
          .isEqualTo("echo");
    }
  }

  @Test
  void throttleBurstAnswersTooManyRequestsThenRecovers() {
    long throttledBefore = emu.stats().throttled();
    emu.faults().throttleBurst(2);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> invoke(noRetries, "echo", "{}"))
          .isInstanceOf(TooManyRequestsException.class)
          .satisfies(e -> assertThat(((TooManyRequestsException) e).statusCode()).isEqualTo(429));
    }
    assertThat(invoke(noRetries, "echo", "{}").statusCode()).isEqualTo(200);
    assertThat(emu.stats().throttled() - throttledBefore).isEqualTo(2);
  }

  @Test
  void sdkRetriesInjectedThrottlesByItself() {
    emu.faults().throttleBurst(1);
    int callsBefore = emu.stats().apiCalls("Invoke");

    assertThat(invoke(lambda, "echo", "{}").statusCode()).isEqualTo(200);
    assertThat(emu.stats().apiCalls("Invoke") - callsBefore).isEqualTo(2);
  }

  @Test
  void concurrencyLimitAnswersTooManyRequestsWithReason() throws Exception {
    LambdaEmulator limited =
        LambdaEmulator.start(
            LambdaClients.options()
                .concurrencyLimit(2)
                .stateTransitionDelay(Duration.ZERO)
                .build());
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    limited.registerInProcess(
        "x::block",
        (payload, id) -> {
          running.incrementAndGet();
          go.await();
          return payload;
        });
    try (limited;
        LambdaClient client = LambdaClients.noRetries(limited);
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      client.createFunction(
          r ->
              r.functionName("limited")
                  .runtime(Runtime.JAVA21)
                  .role(TestFunctions.ROLE)
                  .handler("x::block")
                  .code(c -> c.zipFile(SdkBytes.fromByteArray(TestFunctions.zip()))));
      Future<InvokeResponse> a = pool.submit(() -> invoke(client, "limited", "{}"));
      Future<InvokeResponse> b = pool.submit(() -> invoke(client, "limited", "{}"));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> running.get() >= 2);

      assertThatThrownBy(() -> invoke(client, "limited", "{}"))
          .isInstanceOf(TooManyRequestsException.class)
          .satisfies(
              e -> {
                TooManyRequestsException t = (TooManyRequestsException) e;
                assertThat(t.reasonAsString()).isEqualTo("ConcurrentInvocationLimitExceeded");
                assertThat(t.retryAfterSeconds()).isEqualTo("1");
              });
      go.countDown();
      assertThat(a.get().statusCode()).isEqualTo(200);
      assertThat(b.get().statusCode()).isEqualTo(200);
      assertThat(limited.stats().throttled()).isEqualTo(1);
    }
  }

  @Test
  void injectedServerErrorsAreRetryableServiceExceptions() {
    emu.faults().serverErrorRate(1.0);
    int callsBefore = emu.stats().apiCalls("Invoke");

    assertThatThrownBy(() -> invoke(noRetries, "echo", "{}"))
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).statusCode()).isEqualTo(500));
    assertThatThrownBy(() -> invoke(lambda, "echo", "{}")).isInstanceOf(ServiceException.class);
    assertThat(emu.stats().apiCalls("Invoke") - callsBefore).isEqualTo(1 + 3);
  }

  @Test
  void unavailableBackendAnswers503() {
    emu.faults().unavailable(true);
    long before = emu.stats().serverErrors();

    assertThatThrownBy(() -> invoke(noRetries, "echo", "{}"))
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).statusCode()).isEqualTo(503));
    assertThat(emu.stats().serverErrors() - before).isEqualTo(1);

    emu.faults().unavailable(false);
    assertThat(invoke(noRetries, "echo", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void slowResponsesAreDelayed() {
    emu.faults().slowResponses(1.0, Duration.ofMillis(300));
    long before = emu.stats().slowResponses();

    long start = System.nanoTime();
    invoke(noRetries, "echo", "{}");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(emu.stats().slowResponses() - before).isEqualTo(1);
  }

  @Test
  void injectedCrashOfAnInProcessInstanceIsAnExitError() {
    emu.faults().crashRate(1.0);
    InvokeResponse r = invoke(noRetries, "echo", "{}");

    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(r.payload().asUtf8String()).contains("Runtime.ExitError");
  }

  @Test
  void rejectsPayloadsThatAreNotJson() {
    assertThatThrownBy(() -> invoke(noRetries, "echo", "not json"))
        .isInstanceOf(
            software.amazon.awssdk.services.lambda.model.InvalidRequestContentException.class);
  }
}
