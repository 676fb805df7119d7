package dev.quarry.backend.internal.resilience;

import dev.quarry.backend.resilience.CircuitOpenException;
import dev.quarry.backend.resilience.CircuitStatus;
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

  /** Failure messages are the backend's text: kept this long at most. */
  static final int MAX_REASON = 500;

  private record Failure(String message, Instant at) {}

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerConfig config;
  private final String name;
  private final Duration waitInOpenState;
  private final Clock clock;
  private final Map<String, CircuitBreaker> byTenant = new ConcurrentHashMap<>();
  private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();
  private final Map<String, Failure> lastFailure = new ConcurrentHashMap<>();

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

  /** The circuit of {@code tenantKey} (see {@link #key}) and the last failure it counted. */
  CircuitStatus status(String tenantKey) {
    CircuitBreaker circuit = byTenant.get(tenantKey.isEmpty() ? NO_TENANT : tenantKey);
    if (circuit == null) {
      return CircuitStatus.UNUSED;
    }
    CircuitBreaker.State state = circuit.getState();
    Failure failure = lastFailure.get(circuit.getName());
    Instant opened = openedAt.get(circuit.getName());
    return new CircuitStatus(
        state,
        failure == null ? null : failure.message(),
        failure == null ? null : failure.at(),
        state == CircuitBreaker.State.OPEN && opened != null ? opened.plus(waitInOpenState) : null);
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
    lastFailure.clear();
  }

  private static String reason(Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    return message.length() > MAX_REASON ? message.substring(0, MAX_REASON) + "…" : message;
  }

  private CircuitBreaker create(String tenantKey) {
    CircuitBreaker circuit = registry.circuitBreaker(name + "/" + tenantKey, config);
    circuit
        .getEventPublisher()
        .onError(
            event ->
                lastFailure.put(
                    circuit.getName(), new Failure(reason(event.getThrowable()), clock.instant())))
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.put(circuit.getName(), clock.instant());
              }
            });
    return circuit;
  }
}
