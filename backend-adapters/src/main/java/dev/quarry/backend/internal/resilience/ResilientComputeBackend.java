package dev.quarry.backend.internal.resilience;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.resilience.CircuitStatus;
import dev.quarry.backend.resilience.ResilienceMetrics;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.backend.resilience.ResilientBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The decorator. Per invocation: deadline( bulkhead( rate limiter( tenant circuit( backend )))).
 * Exactly one call reaches the backend per invocation, or none: a failure is reported to the
 * caller, whose task retry policy is the one place attempts are counted (a retry here would
 * multiply them). Nothing blocks: rate limiter waits and deadlines are scheduled on a single daemon
 * thread.
 *
 * <p>Long because it composes four Resilience4j decorators (circuit breaker per tenant, bulkhead,
 * rate limiter, time limit) around asynchronous calls and maps each one's refusal to a
 * BackendException.
 */
public final class ResilientComputeBackend implements ResilientBackend {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ResilientComputeBackend.class);

  private final ComputeBackend backend;
  private final String name;
  private final ResilienceOptions options;
  private final ResilienceMetrics metrics;
  private final Bulkhead bulkhead;
  private final @Nullable RateLimiter rateLimiter;
  private final TenantCircuits circuits;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private volatile boolean closed;

  private ResilientComputeBackend(
      ComputeBackend backend, ResilienceOptions options, String name, ResilienceMetrics metrics) {
    this.backend = backend;
    this.name = name;
    this.options = options;
    this.metrics = metrics;
    this.clock = Clock.systemUTC();
    this.bulkhead =
        metrics
            .bulkheads()
            .bulkhead(
                name,
                BulkheadConfig.custom()
                    .maxConcurrentCalls(options.maxConcurrentInvocations())
                    .maxWaitDuration(Duration.ZERO)
                    .build());
    this.rateLimiter =
        options.invocationsPerSecond() == ResilienceOptions.UNLIMITED
            ? null
            : metrics
                .rateLimiters()
                .rateLimiter(
                    name,
                    RateLimiterConfig.custom()
                        .limitForPeriod(options.invocationsPerSecond())
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(options.rateLimitMaxWait())
                        .build());
    this.circuits = new TenantCircuits(metrics.circuitBreakers(), options, name, clock);
    // Every invocation arms a deadline timer and cancels it when it ends: cancelled timers must
    // leave the queue at once, or a busy backend keeps millions of them for the whole deadline.
    java.util.concurrent.ScheduledThreadPoolExecutor timers =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("quarry-resilience-" + name).factory());
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
  }

  /**
   * @throws IllegalArgumentException if {@code name} is already used in {@code metrics}
   */
  public static ResilientComputeBackend create(
      ComputeBackend backend, ResilienceOptions options, String name, ResilienceMetrics metrics) {
    synchronized (metrics) {
      if (metrics.bulkheads().find(name).isPresent()) {
        throw new IllegalArgumentException(
            "a resilient backend named '" + name + "' already uses these ResilienceMetrics");
      }
      return new ResilientComputeBackend(backend, options, name, metrics);
    }
  }

  @Override
  public String type() {
    return backend.type();
  }

  @Override
  public int capacity() {
    return Math.min(backend.capacity(), options.maxConcurrentInvocations());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ResilienceMetrics metrics() {
    return metrics;
  }

  @Override
  public CircuitBreaker.State circuitState(String tenantId) {
    return circuits.state(tenantId);
  }

  @Override
  public CircuitStatus circuit(String tenantId, String profile) {
    return circuits.status(TenantCircuits.key(tenantId, profile));
  }

  @Override
  public int inFlight() {
    Bulkhead.Metrics m = bulkhead.getMetrics();
    return m.getMaxAllowedConcurrentCalls() - m.getAvailableConcurrentCalls();
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    CompletableFuture<InvocationSummary> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(transientFailure("backend '" + name + "' is closed"));
      return result;
    }
    if (!bulkhead.tryAcquirePermission()) {
      result.completeExceptionally(
          transientFailure(
              "bulkhead full: backend '"
                  + name
                  + "' already runs "
                  + options.maxConcurrentInvocations()
                  + " invocations"));
      return result;
    }
    result.whenComplete((summary, error) -> bulkhead.onComplete());
    try {
      watchDeadline(envelope, result);
      CircuitBreaker circuit =
          circuits.forTenant(TenantCircuits.key(envelope.getTenantId(), envelope.getProfile()));
      attempt(envelope, circuit, result)
          .whenComplete(
              (summary, error) -> {
                if (error != null) {
                  result.completeExceptionally(Failures.toBackendException(error, name));
                } else {
                  result.complete(summary);
                }
              });
    } catch (RuntimeException e) { // scheduler shut down by a concurrent close()
      result.completeExceptionally(Failures.toBackendException(e, name));
    }
    return result;
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      backend.close();
    } finally {
      circuits.removeAll();
      metrics.rateLimiters().remove(name);
      metrics.bulkheads().remove(name);
    }
  }

  /** The one call: rate limiter permit (waiting on the scheduler), then the tenant's circuit. */
  private CompletionStage<InvocationSummary> attempt(
      TaskEnvelope envelope, CircuitBreaker circuit, CompletableFuture<?> result) {
    if (rateLimiter == null) {
      return call(envelope, circuit);
    }
    long waitNanos = rateLimiter.reservePermission();
    if (waitNanos < 0) {
      return CompletableFuture.failedFuture(
          transientFailure(
              "rate limited: backend '"
                  + name
                  + "' allows "
                  + options.invocationsPerSecond()
                  + " invocations per second"));
    }
    if (waitNanos == 0) {
      return call(envelope, circuit);
    }
    CompletableFuture<InvocationSummary> delayed = new CompletableFuture<>();
    scheduler.schedule(
        () -> {
          if (result.isDone()) { // deadline passed or closed while waiting for a permit
            delayed.completeExceptionally(new AbandonedAttempt());
          } else {
            relay(call(envelope, circuit), delayed);
          }
        },
        waitNanos,
        TimeUnit.NANOSECONDS);
    return delayed;
  }

  /** Calls the backend through the tenant's circuit breaker. */
  private CompletableFuture<InvocationSummary> call(TaskEnvelope envelope, CircuitBreaker circuit) {
    if (!circuit.tryAcquirePermission()) {
      return CompletableFuture.failedFuture(circuits.refused(circuit));
    }
    long start = circuit.getCurrentTimestamp();
    CompletableFuture<InvocationSummary> invocation;
    try {
      invocation = backend.invoke(envelope);
    } catch (RuntimeException e) {
      invocation = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<InvocationSummary> outcome = new CompletableFuture<>();
    invocation.whenComplete(
        (summary, error) -> {
          long elapsed = circuit.getCurrentTimestamp() - start;
          if (error == null) {
            circuit.onSuccess(elapsed, circuit.getTimestampUnit());
            outcome.complete(summary);
          } else {
            BackendException failure = Failures.toBackendException(error, name);
            log.debug(
                "Invocation {} on {} failed ({}): {}",
                envelope.getInvocationId(),
                circuit.getName(),
                failure.kind(),
                failure.getMessage());
            circuit.onError(elapsed, circuit.getTimestampUnit(), failure);
            outcome.completeExceptionally(failure);
          }
        });
    return outcome;
  }

  private void watchDeadline(TaskEnvelope envelope, CompletableFuture<?> result) {
    long deadlineMs = envelope.getDeadlineMs();
    if (deadlineMs <= 0) {
      return;
    }
    long delay = Math.max(0, deadlineMs + options.deadlineGrace().toMillis() - clock.millis());
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () ->
                result.completeExceptionally(
                    transientFailure(
                        "invocation timed out: "
                            + envelope.getInvocationId()
                            + " not answered by its deadline + "
                            + options.deadlineGrace())),
            delay,
            TimeUnit.MILLISECONDS);
    result.whenComplete((summary, error) -> timer.cancel(false));
  }

  private static <T> void relay(CompletionStage<T> from, CompletableFuture<T> to) {
    from.whenComplete(
        (value, error) -> {
          if (error != null) {
            to.completeExceptionally(error);
          } else {
            to.complete(value);
          }
        });
  }

  private static BackendException transientFailure(String message) {
    return new BackendException(BackendException.Kind.TRANSIENT, message);
  }

  /** Ends a rate-limited call whose invocation was already decided while it waited. */
  private static final class AbandonedAttempt extends RuntimeException {
    AbandonedAttempt() {
      super("invocation already completed", null, false, false);
    }
  }
}
