package dev.quarry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.internal.TaskHandle;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JobFuture and waiting semantics with futures completed by hand. */
@Timeout(30)
class JobFutureTest {
  private final List<TaskHandle> handles = new ArrayList<>();
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    later.shutdownNow();
  }

  private List<JobFuture<String>> futures(int n) {
    List<JobFuture<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TaskHandle h = TaskHandle.detached("job", "job:" + i, i);
      handles.add(h);
      out.add(new JobFuture<>(h));
    }
    return out;
  }

  private static RemoteFunctionException remoteError() {
    return new RemoteFunctionException(
        "java.lang.IllegalStateException", "boom", "", true, List.of());
  }

  @Test
  void getReturnsTheResultOrTheRemoteErrorAsCause() throws Exception {
    var f = futures(2);
    assertThat(f.get(0).isDone()).isFalse();
    assertThatThrownBy(() -> f.get(0).get(10, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    handles.get(0).succeed("ok");
    handles.get(1).fail(remoteError());
    assertThat(f.get(0).get()).isEqualTo("ok");
    assertThat(f.get(0).state()).isEqualTo(java.util.concurrent.Future.State.SUCCESS);
    assertThatThrownBy(() -> f.get(1).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RemoteFunctionException.class)
        .hasMessage("java.lang.IllegalStateException: boom");
    assertThat(handles.get(0).succeed("again")).isFalse();
    assertThat(f.get(1).toString()).contains("job:1");
  }

  @Test
  void cancelIsLocalAndFinal() {
    var f = futures(1).getFirst();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(f.isDone()).isTrue();
    assertThat(f.cancel(true)).isFalse();
    assertThat(handles.getFirst().succeed("late")).isFalse();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void toCompletableFutureIsAnIndependentCopy() throws Exception {
    var f = futures(3);
    CompletableFuture<String> ok = f.get(0).toCompletableFuture();
    CompletableFuture<String> bad = f.get(1).toCompletableFuture();
    CompletableFuture<String> cancelled = f.get(2).toCompletableFuture();
    ok.complete("mine");
    assertThat(f.get(0).isDone()).isFalse();
    CompletableFuture<String> ok2 = f.get(0).toCompletableFuture();
    handles.get(0).succeed("theirs");
    handles.get(1).fail(remoteError());
    f.get(2).cancel(false);
    assertThat(ok2.get()).isEqualTo("theirs");
    assertThat(f.get(0).get()).isEqualTo("theirs");
    assertThatThrownBy(bad::get).cause().isInstanceOf(RemoteFunctionException.class);
    // views are completed asynchronously (never on the thread that delivered the result)
    assertThat(cancelled)
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.CancellationException.class);
    assertThat(cancelled.isCancelled()).isTrue();
  }

  @Test
  void getResultKeepsListOrderAcrossJobs() {
    var f = futures(3);
    later.schedule(() -> handles.get(2).succeed("c"), 10, TimeUnit.MILLISECONDS);
    later.schedule(() -> handles.get(0).succeed("a"), 30, TimeUnit.MILLISECONDS);
    later.schedule(() -> handles.get(1).succeed(null), 50, TimeUnit.MILLISECONDS);
    assertThat(Waits.results(f, null)).containsExactly("a", null, "c");
    assertThat(Waits.results(List.of(), null)).isEmpty();
  }

  @Test
  void getResultThrowsTheRemoteErrorUnwrappedWithoutWaitingForTheRest() {
    var f = futures(2);
    RemoteFunctionException error = remoteError();
    handles.get(1).fail(error);
    // future 0 never completes: the failure is reported at once
    assertThatThrownBy(() -> Waits.results(f, Duration.ofSeconds(10))).isSameAs(error);
  }

  @Test
  void getResultReportsCancellationAndTimeouts() {
    var f = futures(2);
    assertThatThrownBy(() -> Waits.results(f, Duration.ofMillis(20)))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.getMessage()).contains("2 of 2 results not ready");
            });
    handles.get(0).succeed("a");
    f.get(1).cancel(false);
    assertThatThrownBy(() -> Waits.results(f, null))
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("job:1");
  }

  @Test
  void getResultAnswersAnInterruptWithACancelledQuarryException() {
    var f = futures(1);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Waits.results(f, null))
        .isInstanceOfSatisfying(
            QuarryException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.CANCELLED));
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void waitAlwaysReturnsTheCurrentSplitAtOnce() {
    var f = futures(3);
    handles.get(1).succeed("b");
    WaitResult<String> r = Waits.waitFor(f, WaitMode.ALWAYS, Duration.ofDays(1));
    assertThat(r.done()).containsExactly(f.get(1));
    assertThat(r.notDone()).containsExactly(f.get(0), f.get(2));
    assertThat(r.allDone()).isFalse();
  }

  @Test
  void waitAnyReturnsWhenOneIsDone() {
    var f = futures(3);
    later.schedule(() -> handles.get(2).fail(remoteError()), 20, TimeUnit.MILLISECONDS);
    WaitResult<String> r = Waits.waitFor(f, WaitMode.ANY_COMPLETED, null);
    assertThat(r.done()).containsExactly(f.get(2));
    assertThat(r.notDone()).containsExactly(f.get(0), f.get(1));
  }

  @Test
  void waitAllReturnsWhenAllAreDone() {
    var f = futures(3);
    later.schedule(() -> handles.get(0).succeed("a"), 10, TimeUnit.MILLISECONDS);
    later.schedule(() -> handles.get(1).fail(remoteError()), 20, TimeUnit.MILLISECONDS);
    later.schedule(() -> handles.get(2).cancelLocally(), 30, TimeUnit.MILLISECONDS);
    WaitResult<String> r = Waits.waitFor(f, WaitMode.ALL_COMPLETED, Duration.ofSeconds(10));
    assertThat(r.allDone()).isTrue();
    assertThat(r.done()).containsExactlyElementsOf(f);
  }

  @Test
  void waitReturnsTheSplitWhenTheTimeoutElapses() {
    var f = futures(2);
    handles.get(0).succeed("a");
    long t0 = System.nanoTime();
    WaitResult<String> all = Waits.waitFor(f, WaitMode.ALL_COMPLETED, Duration.ofMillis(50));
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
    assertThat(all.done()).containsExactly(f.get(0));
    assertThat(all.notDone()).containsExactly(f.get(1));
    WaitResult<String> any = Waits.waitFor(futures(1), WaitMode.ANY_COMPLETED, Duration.ZERO);
    assertThat(any.done()).isEmpty();
    assertThat(Waits.waitFor(List.<JobFuture<String>>of(), WaitMode.ANY_COMPLETED, null).allDone())
        .isTrue();
  }

  @Test
  void negativeTimeoutsAndNullFuturesAreRejected() {
    var f = futures(1);
    assertThatThrownBy(() -> Waits.waitFor(f, WaitMode.ALL_COMPLETED, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    List<JobFuture<String>> withNull = new ArrayList<>(f);
    withNull.add(null);
    assertThatThrownBy(() -> Waits.results(withNull, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("futures[1]");
  }
}
