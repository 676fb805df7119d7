package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.client.MapOptions;
import dev.quarry.client.RemoteFunctionException;
import dev.quarry.client.WaitMode;
import dev.quarry.testkit.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java client against a real server: lambdas ship with their classpath and run in workers. */
class JavaClientEndToEndTest {
  static TestServer server;
  static FunctionExecutor fexec;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build());
  }

  @AfterAll
  static void stop() {
    fexec.close();
  }

  @Test
  void helloWorldWithNothingConfiguredButTheConfigFile() throws Exception {
    System.setProperty("quarry.config", server.configFile().toString());
    try (var exec = FunctionExecutor.connect(server.grpcTarget())) {
      JobFuture<String> f = exec.callAsync(name -> "Hello " + name + "!", "World");
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("Hello World!");
      var futures = exec.map(x -> x * 2, List.of(1, 2, 3, 4));
      assertThat(exec.getResult(futures)).containsExactly(2, 4, 6, 8);
    } finally {
      System.clearProperty("quarry.config");
    }
  }

  @Test
  void mapOfThousandInputsReturnsResultsInInputOrder() {
    List<Integer> inputs = IntStream.range(0, 1000).boxed().toList();
    List<JobFuture<Long>> futures = fexec.map(x -> (long) x * x, inputs);
    List<Long> results = fexec.getResult(futures);
    assertThat(results).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(results.get(i)).isEqualTo((long) i * i);
    }
  }

  @Test
  void instanceOfUserClassCarriesItsState() {
    var futures = fexec.map(new Multiplier(7), List.of(1, 2, 3));
    assertThat(fexec.getResult(futures)).containsExactly(7, 14, 21);
  }

  @Test
  void functionExceptionIsRethrownWithRemoteTypeMessageAndStack() {
    JobFuture<Integer> f = fexec.callAsync(JavaClientEndToEndTest::parse, "not a number");
    assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RemoteFunctionException.class)
        .satisfies(
            e -> {
              RemoteFunctionException r = (RemoteFunctionException) e;
              assertThat(r.remoteClassName()).isEqualTo("java.lang.NumberFormatException");
              assertThat(r.remoteMessage()).contains("not a number");
              assertThat(r.remoteStackTraceText()).contains("JavaClientEndToEndTest.parse");
              assertThat(r.functionError()).isTrue();
            });
    var futures = fexec.map(JavaClientEndToEndTest::parse, List.of("1", "x", "3"));
    assertThatThrownBy(() -> fexec.getResult(futures)).isInstanceOf(RemoteFunctionException.class);
    assertThat(futures.get(0).toCompletableFuture().join()).isEqualTo(1);
    assertThat(futures.get(2).toCompletableFuture().join()).isEqualTo(3);
  }

  @Test
  void chunkingRunsSeveralInputsPerInvocation() throws Exception {
    // a tenant of its own, so that no other job's invocations are counted
    String tenant = "chunky-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String key =
        new Http(server.restUrl(), TestServer.OPERATOR_KEY)
            .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Chunky\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    var registry =
        TestServer.sharedContext().getBean(io.micrometer.core.instrument.MeterRegistry.class);
    try (var exec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(key).build())) {
      List<JobFuture<Integer>> futures =
          exec.map(
              x -> x + 1,
              IntStream.range(0, 95).boxed().toList(),
              MapOptions.builder().chunkSize(10).build());
      assertThat(exec.getResult(futures)).isEqualTo(IntStream.range(1, 96).boxed().toList());
    }
    assertThat(registry.get("quarry.invocations").tag("tenant", tenant).counter().count())
        .as("one invocation per chunk of 10")
        .isEqualTo(10.0);
  }

  @Test
  void waitForHonoursItsModes() throws Exception {
    List<Integer> sleeps = List.of(50, 4000);
    var futures = fexec.map(JavaClientEndToEndTest::sleepFor, sleeps);
    var any = fexec.waitFor(futures, WaitMode.ANY_COMPLETED, Duration.ofSeconds(30));
    assertThat(any.done()).hasSizeGreaterThanOrEqualTo(1);
    var now = fexec.waitFor(futures, WaitMode.ALWAYS, Duration.ZERO);
    assertThat(now.done().size() + now.notDone().size()).isEqualTo(2);
    var all = fexec.waitFor(futures, WaitMode.ALL_COMPLETED, Duration.ofSeconds(60));
    assertThat(all.done()).hasSize(2);
    assertThat(all.notDone()).isEmpty();
  }

  @Test
  void futuresFromTwoExecutorsCombineInOneCall() throws Exception {
    try (var other =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build())) {
      List<JobFuture<String>> all = new ArrayList<>();
      all.addAll(fexec.map(x -> "a" + x, List.of(1, 2)));
      all.addAll(other.map(x -> "b" + x, List.of(3, 4)));
      assertThat(fexec.getResult(all)).containsExactly("a1", "a2", "b3", "b4");
      assertThat(all.get(3).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("b4");
    }
  }

  @Test
  void cancelledJobCancelsItsFutures() throws Exception {
    var futures =
        fexec.map(
            JavaClientEndToEndTest::sleepFor, IntStream.range(0, 100).mapToObj(i -> 200).toList());
    fexec.cancel(futures.get(0).jobId());
    assertThatThrownBy(() -> fexec.getResult(futures)).isInstanceOf(CancellationException.class);
    assertThat(fexec.getJob(futures.get(0).jobId()).state()).hasToString("CANCELLED");
  }

  @Test
  void workerKilledMidTaskIsReplacedAndTheTaskRetried() throws Exception {
    var futures = fexec.map(JavaClientEndToEndTest::sleepFor, List.of(3000, 3000));
    ProcessHandle worker = awaitBusyWorker();
    worker.destroyForcibly();
    assertThat(fexec.getResult(futures)).containsExactly(3000, 3000);
    assertThat(worker.isAlive()).isFalse();
  }

  /** A worker process, after the 3 s tasks have had a second to start in the workers. */
  private static ProcessHandle awaitBusyWorker() {
    return await("a worker process under " + ProcessHandle.current().pid())
        .pollDelay(Duration.ofMillis(1100))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ProcessHandle.current()
                    .descendants()
                    .filter(JavaClientEndToEndTest::isWorker)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static boolean isWorker(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).contains("LocalWorkerMain");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static int parse(String s) {
    return Integer.parseInt(s);
  }

  static int sleepFor(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ms;
  }

  /** A user class with state, shipped as an instance rather than a lambda. */
  record Multiplier(int factor)
      implements dev.quarry.client.SerializableFunction<Integer, Integer> {
    @Override
    public Integer apply(Integer x) {
      return x * factor;
    }
  }
}
