package dev.quarry.backend.internal.resilience;

import dev.quarry.backend.resilience.CircuitOpenException;
import dev.quarry.backend.resilience.ResilienceOptions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per (tenant, profile), named {@code <backend name>/<tenant id>} or {@code
 * <backend name>/<tenant id>/<profile>} when the envelope names a profile.
 */
final class TenantCircuits {
  /** Circuit key of envelopes without a tenant. */
  static final String NO_TENANT = "-";

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerConfig config;
  private final String name;
  private final Duration waitInOpenState;
  private final Clock clock;
  private final Map<String, CircuitBreaker> byTenant = new ConcurrentHashMap<>();
  private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();

  TenantCircuits(
      CircuitBreakerRegistry registry, ResilienceOptions options, String name, Clock clock) {
    this.registry = registry;
    this.name = name;
    this.clock = clock;
    this.waitInOpenState = options.waitDurationInOpenState();
    this.config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(options.slidingWindowSize())
            .minimumNumberOfCalls(options.minimumNumberOfCalls())
            .failureRateThreshold(options.failureRateThreshold())
            .waitDurationInOpenState(options.waitDurationInOpenState())
            .permittedNumberOfCallsInHalfOpenState(options.permittedCallsInHalfOpenState())
            .recordException(Failures::recorded)
            .ignoreException(Failures::ignored)
            .build();
  }

  /** The circuit key of a tenant's envelopes on {@code profile} ("" = the default backend). */
  static String key(String tenantId, String profile) {
    return profile.isEmpty() || tenantId.isEmpty() ? tenantId : tenantId + "/" + profile;
  }

  CircuitBreaker forTenant(String tenantId) {
    String key = tenantId.isEmpty() ? NO_TENANT : tenantId;
    return byTenant.computeIfAbsent(key, this::create);
  }

  CircuitBreaker.State state(String tenantId) {
    CircuitBreaker circuit = byTenant.get(tenantId.isEmpty() ? NO_TENANT : tenantId);
    return circuit == null ? CircuitBreaker.State.CLOSED : circuit.getState();
  }

  /** The exception for a call {@code circuit} refused. */
  CircuitOpenException refused(CircuitBreaker circuit) {
    Instant opened = openedAt.get(circuit.getName());
    Instant until = opened == null ? clock.instant() : opened.plus(waitInOpenState);
    return new CircuitOpenException(circuit.getName(), until);
  }

  /** Removes this backend's circuits from the registry (and so from the meters). */
  void removeAll() {
    for (CircuitBreaker circuit : byTenant.values()) {
      registry.remove(circuit.getName());
    }
    byTenant.clear();
  }

  private CircuitBreaker create(String tenantKey) {
    CircuitBreaker circuit = registry.circuitBreaker(name + "/" + tenantKey, config);
    circuit
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.put(circuit.getName(), clock.instant());
              }
            });
    return circuit;
  }
}
