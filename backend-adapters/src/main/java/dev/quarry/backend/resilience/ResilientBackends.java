package dev.quarry.backend.resilience;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.internal.resilience.ResilientComputeBackend;

/**
 * Wraps any {@link ComputeBackend} with Resilience4j: bulkhead, rate limiter, a circuit breaker per
 * tenant, and a deadline. It never retries: one invocation is at most one call to the backend, and
 * the caller decides whether a failure is worth another attempt.
 *
 * <pre>{@code
 * ResilienceMetrics metrics = ResilienceMetrics.create();
 * metrics.bindTo(meterRegistry);
 * ComputeBackend backend =
 *     ResilientBackends.decorate(LocalBackends.create(local), ResilienceOptions.DEFAULT, "local", metrics);
 * }</pre>
 */
public final class ResilientBackends {
  private ResilientBackends() {}

  /**
   * Decorates {@code backend} with its own {@link ResilienceMetrics}, reachable through {@link
   * ResilientBackend#metrics()}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static ResilientBackend decorate(
      ComputeBackend backend, ResilienceOptions options, String name) {
    return decorate(backend, options, name, ResilienceMetrics.create());
  }

  /**
   * Decorates {@code backend}, registering its circuit breakers ({@code name/tenantId}), bulkhead
   * and rate limiter (all {@code name}) in {@code metrics}. The returned backend owns {@code
   * backend}: closing it closes {@code backend}.
   *
   * @param name unique within {@code metrics}, e.g. {@code local} or {@code lambda:profile}
   * @throws IllegalArgumentException if {@code name} is blank or already used in {@code metrics}
   */
  public static ResilientBackend decorate(
      ComputeBackend backend, ResilienceOptions options, String name, ResilienceMetrics metrics) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return ResilientComputeBackend.create(backend, options, name, metrics);
  }
}
