package dev.quarry.backend.resilience;

import dev.quarry.backend.BackendException;
import java.time.Instant;

/**
 * An invocation was not sent because the circuit breaker of its backend and tenant is open: recent
 * invocations failed (transient failures or crashes) and calls are refused until {@link
 * #openUntil()}. The kind is {@link BackendException.Kind#TRANSIENT}; a dispatcher should wait
 * until {@link #openUntil()} rather than spend an attempt.
 */
public class CircuitOpenException extends BackendException {
  private final String circuit;
  private final Instant openUntil;

  /**
   * @param circuit the circuit's name, {@code <backend name>/<tenant id>}
   * @param openUntil when the circuit lets trial calls through again (may be in the past while the
   *     trial calls of a half-open circuit are in flight)
   */
  public CircuitOpenException(String circuit, Instant openUntil) {
    super(
        Kind.TRANSIENT,
        "backend circuit '"
            + circuit
            + "' is open until "
            + openUntil
            + ": recent invocations failed");
    this.circuit = circuit;
    this.openUntil = openUntil;
  }

  /** The open circuit, {@code <backend name>/<tenant id>}. */
  public String circuit() {
    return circuit;
  }

  /** When the circuit lets trial calls through again. */
  public Instant openUntil() {
    return openUntil;
  }
}
