package dev.quarry.backend.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's circuit on one backend and why it is in its state.
 *
 * @param state CLOSED for a tenant that never invoked
 * @param lastFailure the message of the last failure the circuit counted (bounded), or null if it
 *     counted none
 * @param lastFailureAt when that failure was counted
 * @param openUntil while OPEN, when trial calls may go through again; null otherwise
 */
public record CircuitStatus(
    CircuitBreaker.State state,
    @Nullable String lastFailure,
    @Nullable Instant lastFailureAt,
    @Nullable Instant openUntil) {
  /** The status of a circuit that never saw a call. */
  public static final CircuitStatus UNUSED =
      new CircuitStatus(CircuitBreaker.State.CLOSED, null, null, null);
}
