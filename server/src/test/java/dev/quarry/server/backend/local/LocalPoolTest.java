package dev.quarry.server.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.WorkerSandbox;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pool starts in the background: invocations sent before it is ready wait and then run, a
 * failed start fails them and the next use starts again, a missing sandbox fails the caller at
 * once, and closing during the start stops the workers when the start ends.
 */
class LocalPoolTest {
  private static final LocalBackendOptions OPTIONS =
      LocalBackendOptions.builder()
          .sandbox(WorkerSandbox.NONE)
          .poolSize(3)
          .maxInFlightPerWorker(2)
          .build();
  private static final TaskEnvelope ENVELOPE =
      TaskEnvelope.newBuilder().setInvocationId("j:0").build();

  /** A start that waits for {@link #ready} (or fails when {@link #failures} is above zero). */
  private final CountDownLatch ready = new CountDownLatch(1);

  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger starts = new AtomicInteger();
  private final List<Echo> started = new CopyOnWriteArrayList<>();

  private ComputeBackend start(LocalBackendOptions options) {
    starts.incrementAndGet();
    try {
      if (!ready.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the start finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failures.getAndDecrement() > 0) {
      throw new BackendException(Kind.PERMANENT, "local worker JVM failed to start: exit 1");
    }
    Echo echo = new Echo();
    started.add(echo);
    return echo;
  }

  @Test
  void theLaneOpensAtOnceAndItsInvocationsRunWhenTheWorkersAreReady() throws Exception {
    try (LocalPool pool = new LocalPool(OPTIONS, this::start)) {
      ComputeBackend lane = pool.shared(); // does not wait for the start
      assertThat(lane.capacity()).isEqualTo(6);
      assertThat(lane.type()).isEqualTo("local");
      CompletableFuture<InvocationSummary> early = lane.invoke(ENVELOPE);
      assertThat(early).isNotDone();

      ready.countDown();
      assertThat(early.get(10, TimeUnit.SECONDS).getInvocationId()).isEqualTo("echo j:0");
      assertThat(lane.invoke(ENVELOPE).get(10, TimeUnit.SECONDS).getInvocationId())
          .isEqualTo("echo j:0");
      assertThat(starts).hasValue(1);
      lane.close(); // a lane's view leaves the workers running
      assertThat(started.getFirst().closed).isFalse();
    }
    assertThat(started.getFirst().closed).isTrue();
  }

  @Test
  void aFailedStartFailsTheWaitingInvocationsAndTheNextUseStartsAgain() throws Exception {
    failures.set(1);
    try (LocalPool pool = new LocalPool(OPTIONS, this::start)) {
      ComputeBackend lane = pool.shared();
      CompletableFuture<InvocationSummary> waiting = lane.invoke(ENVELOPE);
      ready.countDown();

      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("failed to start: exit 1")
          .satisfies(e -> assertThat(((BackendException) e).kind()).isEqualTo(Kind.PERMANENT));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> lane.invoke(ENVELOPE).get(10, TimeUnit.SECONDS) != null);
      assertThat(starts).hasValue(2);
    }
  }

  @Test
  void aHostWithoutTheSandboxFailsTheCallerAtOnce() {
    LocalBackendOptions sandboxed =
        OPTIONS.toBuilder().sandbox(WorkerSandbox.BWRAP).bwrapCommand("no-such-bwrap").build();
    try (LocalPool pool = new LocalPool(sandboxed, this::start)) {
      assertThatThrownBy(pool::shared)
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("no-such-bwrap");
      assertThat(starts).hasValue(0);
    }
  }

  @Test
  void closingDuringTheStartStopsTheWorkersWhenTheStartEnds() {
    LocalPool pool = new LocalPool(OPTIONS, this::start);
    ComputeBackend lane = pool.shared();
    pool.close();
    ready.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> started.getFirst().closed);
    assertThatThrownBy(() -> lane.invoke(ENVELOPE).join())
        .hasCauseInstanceOf(BackendException.class);
  }

  /** Answers each envelope at once with its task id. */
  private static final class Echo implements ComputeBackend {
    volatile boolean closed;

    @Override
    public String type() {
      return "local";
    }

    @Override
    public int capacity() {
      return 6;
    }

    @Override
    public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
      return CompletableFuture.completedFuture(
          InvocationSummary.newBuilder()
              .setInvocationId("echo " + envelope.getInvocationId())
              .build());
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
