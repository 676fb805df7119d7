package dev.quarry.backend.resilience;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Answers each invoke per a scripted plan; records calls and concurrency. */
final class FaultyBackend implements ComputeBackend {

  /** One scripted answer. */
  sealed interface Step {
    record Succeed() implements Step {}

    record FunctionError(String message) implements Step {}

    record Fail(BackendException.Kind kind) implements Step {}

    record Hang() implements Step {}

    record Delay(Duration delay, Step then) implements Step {}
  }

  static final Step OK = new Step.Succeed();
  static final Step TRANSIENT = new Step.Fail(BackendException.Kind.TRANSIENT);
  static final Step PERMANENT = new Step.Fail(BackendException.Kind.PERMANENT);
  static final Step CRASH = new Step.Fail(BackendException.Kind.CRASH);
  static final Step HANG = new Step.Hang();

  static Step delay(Duration delay, Step then) {
    return new Step.Delay(delay, then);
  }

  private final Deque<Step> script = new ArrayDeque<>();
  private final Function<TaskEnvelope, Step> fallback;
  final List<TaskEnvelope> calls = new CopyOnWriteArrayList<>();
  final List<Long> callTimesNanos = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final AtomicInteger successes = new AtomicInteger();
  volatile boolean closed;

  /** Plays {@code steps} in order, then answers with {@code fallback}. */
  FaultyBackend(Function<TaskEnvelope, Step> fallback, Step... steps) {
    this.fallback = fallback;
    script.addAll(List.of(steps));
  }

  /** Plays {@code steps} in order, then succeeds. */
  static FaultyBackend scripted(Step... steps) {
    return new FaultyBackend(envelope -> OK, steps);
  }

  @Override
  public String type() {
    return "faulty";
  }

  @Override
  public int capacity() {
    return 8;
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    calls.add(envelope);
    callTimesNanos.add(System.nanoTime());
    Step step;
    synchronized (script) {
      step = script.isEmpty() ? fallback.apply(envelope) : script.poll();
    }
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    CompletableFuture<InvocationSummary> future = new CompletableFuture<>();
    future.whenComplete((s, e) -> running.decrementAndGet());
    if (step instanceof Step.Succeed) {
      successes.incrementAndGet();
    }
    play(step, envelope, future);
    return future;
  }

  private static void play(
      Step step, TaskEnvelope envelope, CompletableFuture<InvocationSummary> future) {
    switch (step) {
      case Step.Succeed s -> future.complete(summary(envelope, true, ""));
      case Step.FunctionError e -> future.complete(summary(envelope, false, e.message()));
      case Step.Fail f ->
          future.completeExceptionally(new BackendException(f.kind(), "injected " + f.kind()));
      case Step.Hang h -> {}
      case Step.Delay d ->
          CompletableFuture.delayedExecutor(d.delay().toMillis(), TimeUnit.MILLISECONDS)
              .execute(() -> play(d.then(), envelope, future));
    }
  }

  static InvocationSummary summary(TaskEnvelope envelope, boolean ok, String error) {
    return InvocationSummary.newBuilder()
        .setInvocationId(envelope.getInvocationId())
        .setWorkerId("faulty-1")
        .addOutcomes(outcome(ok, error))
        .build();
  }

  private static TaskOutcome outcome(boolean ok, String error) {
    TaskOutcome.Builder outcome = TaskOutcome.newBuilder().setTaskId("t").setOk(ok);
    if (!ok) {
      outcome.setError(RemoteError.newBuilder().setMessage(error));
    }
    return outcome.build();
  }

  @Override
  public void close() {
    closed = true;
  }
}
