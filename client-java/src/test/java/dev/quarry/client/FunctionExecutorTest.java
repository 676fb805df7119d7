package dev.quarry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.internal.ClientConfig;
import dev.quarry.client.internal.ClientCore;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FunctionExecutorTest {
  private FakeQuarryServer server;
  private FunctionExecutor fexec;

  @BeforeEach
  void start() throws Exception {
    server = new FakeQuarryServer();
    fexec = executor(server.name, ClientOptions.DEFAULT);
  }

  @AfterEach
  void stop() {
    fexec.close();
    server.close();
  }

  static FunctionExecutor executor(String serverName, ClientOptions options) {
    var channel = InProcessChannelBuilder.forName(serverName).build();
    var config = new ClientConfig("in-process:" + serverName, false, "test-key", "test");
    return FunctionExecutor.of(new ClientCore(channel, config, options));
  }

  static int slow(int x) {
    try {
      Thread.sleep(30_000);
    } catch (InterruptedException e) {
      throw new IllegalStateException("interrupted", e);
    }
    return x;
  }

  static void await(BooleanSupplier condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  static final class Doubler implements SerializableFunction<Integer, Integer> {
    @Override
    public Integer apply(Integer x) {
      return x * 2;
    }
  }

  @Test
  void theReadmeExampleWorks() throws Exception {
    JobFuture<String> f = fexec.callAsync(name -> "Hello " + name + "!", "World");
    assertThat(f.get()).isEqualTo("Hello World!");
    var futures = fexec.map(x -> x * 2, List.of(1, 2, 3, 4));
    assertThat(fexec.getResult(futures)).containsExactly(2, 4, 6, 8);
    assertThat(futures).extracting(JobFuture::index).containsExactly(0, 1, 2, 3);
    assertThat(futures.get(2).taskId()).isEqualTo(futures.get(2).jobId() + ":2");
  }

  @Test
  void sendsTheApiKeyAsBearerTokenOnEveryCall() throws Exception {
    fexec.callAsync(x -> x, 1).get();
    assertThat(server.authHeaders).isNotEmpty().allMatch("Bearer test-key"::equals);
  }

  @Test
  void aRegisteredFunctionCostsOneSubmitPerCall() throws Exception {
    SerializableFunction<Integer, Integer> inc = x -> x + 1;
    assertThat(fexec.callAsync(inc, 1).get()).isEqualTo(2);
    int find = server.calls("FindMissingBlobs");
    int upload = server.calls("UploadBlob");
    int register = server.calls("RegisterFunction");
    int submit = server.calls("SubmitMap");
    assertThat(upload).isGreaterThan(0);

    assertThat(fexec.callAsync(inc, 2).get()).isEqualTo(3);
    assertThat(server.calls("FindMissingBlobs")).isEqualTo(find);
    assertThat(server.calls("UploadBlob")).isEqualTo(upload);
    assertThat(server.calls("RegisterFunction")).isEqualTo(register);
    assertThat(server.calls("SubmitMap")).isEqualTo(submit + 1);
  }

  @Test
  void aNewCaptureUploadsOnlyTheNewPayload() throws Exception {
    int offset = 10;
    assertThat(fexec.callAsync((Integer x) -> x + offset, 1).get()).isEqualTo(11);
    int upload = server.calls("UploadBlob");
    int other = 20;
    assertThat(fexec.callAsync((Integer x) -> x + other, 1).get()).isEqualTo(21);
    assertThat(server.calls("UploadBlob")).isEqualTo(upload + 1);
    assertThat(server.calls("RegisterFunction")).isEqualTo(2);
  }

  @Test
  void aUserClassInstanceWorksAsFunction() {
    assertThat(fexec.getResult(fexec.map(new Doubler(), List.of(5, 6)))).containsExactly(10, 12);
  }

  @Test
  void nullInputsAndResultsAreAllowed() throws Exception {
    JobFuture<String> f = fexec.callAsync((String s) -> s == null ? null : s + "!", null);
    assertThat(f.get()).isNull();
    assertThat(
            fexec.getResult(
                fexec.map((String s) -> s == null ? "none" : s, Arrays.asList("a", null))))
        .containsExactly("a", "none");
  }

  @Test
  void aFunctionErrorIsARemoteFunctionExceptionWithRemoteFrames() {
    List<JobFuture<Integer>> futures = fexec.map(x -> 10 / x, List.of(5, 0, 2));
    assertThatThrownBy(() -> fexec.getResult(futures))
        .isInstanceOfSatisfying(
            RemoteFunctionException.class,
            e -> {
              assertThat(e.remoteClassName()).isEqualTo("java.lang.ArithmeticException");
              assertThat(e.remoteMessage()).isEqualTo("/ by zero");
              assertThat(e.getMessage()).isEqualTo("java.lang.ArithmeticException: / by zero");
              assertThat(e.functionError()).isTrue();
              assertThat(e.remoteStackTraceText()).contains("ArithmeticException");
              assertThat(e.getStackTrace()[0].getClassName())
                  .isEqualTo(FunctionExecutorTest.class.getName());
            });
    assertThatThrownBy(() -> futures.get(1).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RemoteFunctionException.class);
  }

  @Test
  void aBrokenResultStreamReconnectsWithAfterSeq() {
    server.breakStreamsAfterOne.set(2);
    var futures = fexec.map(x -> x * 3, List.of(1, 2, 3, 4, 5));
    assertThat(fexec.getResult(futures)).containsExactly(3, 6, 9, 12, 15);
    assertThat(server.afterSeqs).hasSizeGreaterThanOrEqualTo(3).startsWith(0L);
    assertThat(server.afterSeqs.subList(1, server.afterSeqs.size())).allMatch(s -> s > 0);
  }

  @Test
  void cancellingTheOnlyFutureCancelsTheJobOnTheServer() throws Exception {
    JobFuture<Integer> f = fexec.callAsync(FunctionExecutorTest::slow, 1);
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
    await(() -> server.calls("CancelJob") == 1);
    assertThat(fexec.getJob(f.jobId()).state()).isEqualTo(JobInfo.State.CANCELLED);
  }

  @Test
  void cancellingOneOfSeveralFuturesIsLocalUntilTheLastOne() throws Exception {
    var futures = fexec.map(FunctionExecutorTest::slow, List.of(1, 2));
    futures.get(0).cancel(false);
    Thread.sleep(200);
    assertThat(server.calls("CancelJob")).isZero();
    assertThat(futures.get(1).isDone()).isFalse();
    futures.get(1).cancel(false);
    await(() -> server.calls("CancelJob") == 1);
  }

  @Test
  void cancellingTheJobCancelsItsFutures() throws Exception {
    var futures = fexec.map(FunctionExecutorTest::slow, List.of(1, 2, 3));
    JobInfo job = fexec.cancel(futures.get(0).jobId());
    assertThat(job.state()).isEqualTo(JobInfo.State.CANCELLED);
    await(() -> futures.stream().allMatch(Future::isCancelled));
    assertThatThrownBy(() -> fexec.getResult(futures)).isInstanceOf(CancellationException.class);
  }

  @Test
  void closingFailsPendingFutures() {
    JobFuture<Integer> f = fexec.callAsync(FunctionExecutorTest::slow, 1);
    fexec.close();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            QuarryException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.CANCELLED));
    assertThatThrownBy(() -> fexec.callAsync(x -> x, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unknownJobIsNotFound() {
    assertThatThrownBy(() -> fexec.getJob("nope"))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).contains("nope");
            });
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    try (var other = executor("no-such-server", ClientOptions.DEFAULT)) {
      assertThatThrownBy(() -> other.callAsync(x -> x, 1))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage())
                    .contains("cannot reach the Quarry server at in-process:no-such-server");
              });
    }
  }

  @Test
  void aNonSerializableCaptureIsRejectedClearly() {
    Object lock = new Object();
    assertThatThrownBy(() -> fexec.callAsync(x -> x + lock.hashCode(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("Serializable");
    assertThat(server.calls("SubmitMap")).isZero();
  }

  @Test
  void aNonSerializableInputIsRejectedWithItsIndex() {
    assertThatThrownBy(() -> fexec.map((Object x) -> x, List.of(1, new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 1");
  }

  @Test
  void noInputsMeansNoJob() {
    assertThat(fexec.map((Integer x) -> x, List.of())).isEmpty();
    assertThat(server.calls("SubmitMap")).isZero();
  }

  @Test
  void theServerForgettingTheFunctionIsHandled() throws Exception {
    SerializableFunction<Integer, Integer> neg = x -> -x;
    assertThat(fexec.callAsync(neg, 1).get()).isEqualTo(-1);
    server.functions.clear();
    assertThat(fexec.callAsync(neg, 2).get()).isEqualTo(-2);
    server.functions.clear();
    server.blobs.clear();
    assertThat(fexec.callAsync(neg, 3).get()).isEqualTo(-3);
    assertThat(server.calls("RegisterFunction")).isEqualTo(3);
  }

  @Test
  void onlyTheFunctionNotFoundReasonRegistersTheFunctionAgain() throws Exception {
    SerializableFunction<Integer, Integer> neg = x -> -x;
    assertThat(fexec.callAsync(neg, 1).get()).isEqualTo(-1);
    server.submitNotFoundReason = "PROFILE_NOT_FOUND"; // its message names the function, too
    assertThatThrownBy(() -> fexec.callAsync(neg, 2))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.reason()).isEqualTo(ErrorReason.PROFILE_NOT_FOUND);
              assertThat(e.description()).contains("function");
            });
    assertThat(server.calls("RegisterFunction")).isEqualTo(1);
    assertThat(server.calls("SubmitMap")).isEqualTo(2);
  }

  @Test
  void theServerDroppingBlobsIsHandled() throws Exception {
    assertThat(fexec.callAsync((Integer x) -> x + 1, 1).get()).isEqualTo(2);
    int uploads = server.calls("UploadBlob");
    server.blobs.clear();
    // the client believes the jars are there: registering fails once, then everything is re-sent
    assertThat(fexec.callAsync((Integer x) -> x + 2, 1).get()).isEqualTo(3);
    assertThat(server.calls("RegisterFunction")).isEqualTo(3);
    assertThat(server.calls("UploadBlob")).isGreaterThanOrEqualTo(2 * uploads);
  }

  @Test
  void waitForSplitsDoneAndPending() {
    List<JobFuture<Integer>> futures = new ArrayList<>(fexec.map(x -> x, List.of(1)));
    futures.addAll(fexec.map(FunctionExecutorTest::slow, List.of(2)));
    WaitResult<Integer> any =
        fexec.waitFor(futures, WaitMode.ANY_COMPLETED, Duration.ofSeconds(10));
    assertThat(any.done()).containsExactly(futures.get(0));
    assertThat(any.notDone()).containsExactly(futures.get(1));
    WaitResult<Integer> all =
        fexec.waitFor(futures, WaitMode.ALL_COMPLETED, Duration.ofMillis(100));
    assertThat(all.allDone()).isFalse();
    assertThatThrownBy(() -> fexec.getResult(futures, Duration.ofMillis(50)))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void getResultMixesExecutors() throws Exception {
    try (var other = executor(server.name, ClientOptions.DEFAULT)) {
      List<JobFuture<Integer>> mixed = new ArrayList<>();
      mixed.addAll(fexec.map(x -> x + 100, List.of(1, 2)));
      mixed.addAll(other.map(x -> x + 200, List.of(3)));
      assertThat(fexec.getResult(mixed)).containsExactly(101, 102, 203);
    }
  }

  @Test
  void toCompletableFutureMirrorsTheOutcome() throws Exception {
    JobFuture<Integer> ok = fexec.callAsync(x -> x + 1, 1);
    assertThat(ok.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(2);
    JobFuture<Integer> bad = fexec.callAsync(x -> 1 / (x - 1), 1);
    assertThatThrownBy(() -> bad.toCompletableFuture().join())
        .hasCauseInstanceOf(RemoteFunctionException.class);
  }

  @Test
  void theExecutorServiceViewRunsSerializableTasksRemotely() throws Exception {
    ExecutorService es = fexec.asExecutorService();
    Future<Integer> f = es.submit((Callable<Integer> & Serializable) () -> 6 * 7);
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
    var all =
        es.invokeAll(
            List.of(
                (Callable<String> & Serializable) () -> "a",
                (Callable<String> & Serializable) () -> "b"));
    assertThat(all.get(1).get()).isEqualTo("b");
    Future<?> failing =
        es.submit(
            (Callable<Integer> & Serializable)
                () -> {
                  throw new java.io.IOException("checked");
                });
    assertThatThrownBy(failing::get)
        .cause()
        .isInstanceOfSatisfying(
            RemoteFunctionException.class,
            e -> assertThat(e.remoteClassName()).isEqualTo("java.io.IOException"));
    assertThatThrownBy(() -> es.submit(() -> 1))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    es.shutdown();
    assertThat(es.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aWarmCallIsFast() throws Exception {
    SerializableFunction<Integer, Integer> id = x -> x;
    for (int i = 0; i < 50; i++) {
      fexec.callAsync(id, i).get();
    }
    long[] nanos = new long[200];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      fexec.callAsync(id, i).get();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    double p50 = nanos[nanos.length / 2] / 1e6;
    System.out.printf(
        "warm callAsync+get in-process: p50 %.2f ms, p90 %.2f ms%n",
        p50, nanos[nanos.length * 9 / 10] / 1e6);
    assertThat(p50).isLessThan(10.0);
  }

  @Test
  void aStreamEndedBeforeTheJobEndsIsReopened() {
    server.completeStreamsEarly.set(1);
    var futures =
        fexec.map(
            x -> {
              try {
                Thread.sleep(x * 100L);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return x;
            },
            List.of(0, 1, 2));
    assertThat(fexec.getResult(futures, Duration.ofSeconds(20))).containsExactly(0, 1, 2);
    assertThat(server.calls("GetJob")).isEqualTo(1);
    assertThat(server.afterSeqs).hasSize(2).allMatch(s -> s == 0 || s == 1);
  }

  @Test
  void aResultTheServerNeverSendsFailsItsFutureWhenTheJobEnds() throws Exception {
    server.dropIndex = 1;
    var futures = fexec.map(x -> x, List.of(1, 2, 3));
    assertThat(futures.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> futures.get(1).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(QuarryException.class)
        .hasMessageContaining("sent no result for task " + futures.get(1).taskId());
  }

  @Test
  void aPermanentStreamErrorFailsTheFutures() {
    server.streamFailure = Status.PERMISSION_DENIED.withDescription("not your job");
    JobFuture<Integer> f = fexec.callAsync(x -> x, 1);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getMessage()).contains("not your job");
            });
  }

  @Test
  void anUnavailableStreamIsRetriedUntilTheReconnectTimeout() {
    try (var impatient =
        executor(
            server.name,
            ClientOptions.builder().reconnectTimeout(Duration.ofMillis(300)).build())) {
      server.streamFailure = Status.UNAVAILABLE.withDescription("down");
      JobFuture<Integer> f = impatient.callAsync(x -> x, 1);
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getMessage()).contains("gave up reconnecting");
              });
      assertThat(server.afterSeqs.size()).isGreaterThan(1);
    }
  }

  @Test
  void largeResultsAndSmallUploadChunksWork() throws Exception {
    try (var small =
        executor(
            server.name,
            ClientOptions.builder().uploadChunkSize(16 << 10).uploadConcurrency(2).build())) {
      JobFuture<byte[]> f = small.callAsync((Integer n) -> new byte[n], 300_000);
      assertThat(f.get(20, TimeUnit.SECONDS)).hasSize(300_000);
    }
  }
}
