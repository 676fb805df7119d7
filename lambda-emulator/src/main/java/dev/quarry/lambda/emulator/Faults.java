package dev.quarry.lambda.emulator;

import java.time.Duration;

/**
 * Live fault injection for {@code Invoke} calls. All settings take effect for the next call, may be
 * changed from any thread, and are drawn from a random generator seeded with {@link
 * EmulatorOptions.Builder#seed}. Every injected fault is counted in {@link LambdaEmulator#stats()}.
 *
 * <pre>{@code
 * emu.faults().throttleBurst(3).serverErrorRate(0.05);
 * ...
 * emu.faults().reset();
 * }</pre>
 *
 * <p>Faults apply in this order: {@code unavailable}, {@code throttleBurst}, {@code throttleRate},
 * {@code serverErrorRate} (all answered before the function runs), then {@code crashRate} (the
 * function runs and its instance is killed), then {@code slowResponses} (the answer is delayed).
 */
public interface Faults {

  /**
   * Answers this fraction of invokes with {@code 429 TooManyRequestsException} before running.
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1}
   */
  Faults throttleRate(double rate);

  /**
   * Answers the next {@code count} invokes with {@code 429 TooManyRequestsException}.
   *
   * @throws IllegalArgumentException if {@code count < 0}
   */
  Faults throttleBurst(int count);

  /**
   * Answers this fraction of invokes with {@code 500 ServiceException} (retryable by the SDK).
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1}
   */
  Faults serverErrorRate(double rate);

  /**
   * Delays the response of this fraction of invokes by {@code delay} (after the function ran).
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1} and {@code delay >= 0}
   */
  Faults slowResponses(double rate, Duration delay);

  /**
   * Kills the instance running this fraction of invocations mid-invocation (a child JVM is
   * destroyed forcibly); the caller gets {@code Runtime.ExitError} and the next invoke is cold.
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1}
   */
  Faults crashRate(double rate);

  /** While true, every invoke is answered {@code 503 ServiceException}, like a dead backend. */
  Faults unavailable(boolean unavailable);

  /** Turns every fault off. */
  Faults reset();
}
