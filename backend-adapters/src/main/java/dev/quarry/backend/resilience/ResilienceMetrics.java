package dev.quarry.backend.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Resilience4j registries shared by decorated backends, and their export to Micrometer. Meters
 * are tagged with {@code name}: the backend name, or {@code <backend name>/<tenant id>} for circuit
 * breakers (e.g. {@code resilience4j.circuitbreaker.state}, {@code
 * resilience4j.bulkhead.available.concurrent.calls}). Circuits created after {@link #bindTo} are
 * exported as well.
 *
 * <pre>{@code
 * ResilienceMetrics metrics = ResilienceMetrics.create();
 * metrics.bindTo(prometheusRegistry);
 * }</pre>
 */
public final class ResilienceMetrics {
  private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
  private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
  private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();

  private ResilienceMetrics() {}

  /** Empty registries. */
  public static ResilienceMetrics create() {
    return new ResilienceMetrics();
  }

  /** Circuit breakers, one per backend and tenant, named {@code <backend name>/<tenant id>}. */
  public CircuitBreakerRegistry circuitBreakers() {
    return circuitBreakers;
  }

  /** Bulkheads, one per backend. */
  public BulkheadRegistry bulkheads() {
    return bulkheads;
  }

  /** Rate limiters, one per backend that has a rate limit. */
  public RateLimiterRegistry rateLimiters() {
    return rateLimiters;
  }

  /**
   * Exports all three registries to {@code registry}, including entries added later. Call once per
   * meter registry.
   */
  public void bindTo(MeterRegistry registry) {
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
    TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
    TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(registry);
  }
}
