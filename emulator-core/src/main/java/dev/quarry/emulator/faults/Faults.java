package dev.quarry.emulator.faults;

import java.time.Duration;

/**
 * Live fault injection for an emulator's invoke calls (Lambda {@code Invoke}, an Azure Functions
 * HTTP trigger). All settings take effect for the next call, may be changed from any thread, and
 * are drawn from a random generator seeded by the emulator's options. Every injected fault is
 * counted in the emulator's statistics. How each fault looks on the wire is the emulator's: Lambda
 * answers {@code 429 TooManyRequestsException}, the Functions host {@code 429} with an empty body.
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
   * Answers this fraction of invokes as throttled (429) before running.
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1}
   */
  Faults throttleRate(double rate);

  /**
   * Answers the next {@code count} invokes as throttled (429).
   *
   * @throws IllegalArgumentException if {@code count < 0}
   */
  Faults throttleBurst(int count);

  /**
   * Answers this fraction of invokes with a 500 server error.
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
   * destroyed forcibly); the caller gets the platform's crash answer and the next invoke is cold.
   *
   * @throws IllegalArgumentException unless {@code 0 <= rate <= 1}
   */
  Faults crashRate(double rate);

  /** While true, every invoke is answered 503, like a dead backend. */
  Faults unavailable(boolean unavailable);

  /** Turns every fault off. */
  Faults reset();
}
