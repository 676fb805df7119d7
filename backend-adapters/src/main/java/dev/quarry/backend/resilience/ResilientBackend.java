package dev.quarry.backend.resilience;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ComputeBackend} decorated by {@link ResilientBackends#decorate}. Its {@link #invoke}
 * never blocks: waits (backoff, rate limit) run on a scheduler.
 */
public interface ResilientBackend extends ComputeBackend {

  /** The name given to {@link ResilientBackends#decorate}; prefix of every circuit's name. */
  String name();

  /** The registries holding this backend's circuit breakers, bulkhead and rate limiter. */
  ResilienceMetrics metrics();

  /**
   * The state of a tenant's circuit, {@link CircuitBreaker.State#CLOSED} if that tenant never
   * invoked.
   */
  CircuitBreaker.State circuitState(String tenantId);

  /**
   * A tenant's circuit for its envelopes on {@code profile} ("" for the default backend), with the
   * last failure it counted: what the dashboard shows as the lane's state and why.
   */
  CircuitStatus circuit(String tenantId, String profile);

  /** Invocations running now (holding a bulkhead permit), at most {@link #capacity()}. */
  int inFlight();

  /**
   * Queues one invocation through bulkhead, rate limiter and the tenant's circuit breaker.
   *
   * @return completes with the worker's summary (even if the function threw), or exceptionally with
   *     a {@link BackendException}: {@link CircuitOpenException} while the tenant's circuit is
   *     open; {@link BackendException.Kind#TRANSIENT} "bulkhead full", "rate limited" or
   *     "invocation timed out"; otherwise the wrapped backend's last failure
   */
  @Override
  CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope);

  /**
   * Stops the scheduler, closes the wrapped backend and removes this backend's registry entries.
   */
  @Override
  void close();
}
