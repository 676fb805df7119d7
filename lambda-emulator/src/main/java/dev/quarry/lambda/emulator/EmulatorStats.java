package dev.quarry.lambda.emulator;

import dev.quarry.emulator.stats.InvocationStats;
import java.util.Map;

/**
 * Counters since the emulator started. A snapshot: values do not change after it is taken.
 *
 * @param counts the invocation counters every emulator keeps, read through the accessors below in
 *     Lambda's terms
 * @param apiCalls calls received per Lambda API operation, e.g. {@code "CreateFunction" -> 1},
 *     {@code "Invoke" -> 2000}, including calls that failed authentication
 */
public record EmulatorStats(InvocationStats counts, Map<String, Integer> apiCalls) {

  public EmulatorStats {
    apiCalls = Map.copyOf(apiCalls);
  }

  /**
   * Invocations handed to an instance (RequestResponse and Event), whatever their outcome; DryRun,
   * throttled and failed-before-running calls are not counted.
   */
  public long invocations() {
    return counts.invocations();
  }

  /** Invocations that waited for a new instance to initialise. */
  public long coldStarts() {
    return counts.coldStarts();
  }

  /**
   * Invoke calls answered {@code 429 TooManyRequestsException} (injected or because the concurrency
   * limit was reached).
   */
  public long throttled() {
    return counts.throttled();
  }

  /**
   * Invoke calls answered with an injected 5xx ({@code serverErrorRate} or {@code unavailable}).
   */
  public long serverErrors() {
    return counts.serverErrors();
  }

  /**
   * Invocations whose instance exited while running them ({@code Runtime.ExitError}), injected or
   * not.
   */
  public long crashes() {
    return counts.crashes();
  }

  /** Invocations that ran past the function's timeout ({@code Sandbox.Timedout}). */
  public long timeouts() {
    return counts.timeouts();
  }

  /**
   * Invocations answered with {@code X-Amz-Function-Error} (handler errors, init errors, crashes
   * and timeouts).
   */
  public long functionErrors() {
    return counts.functionErrors();
  }

  /** Responses delayed by {@code slowResponses}. */
  public long slowResponses() {
    return counts.slowResponses();
  }

  /** Instances created (child JVMs and in-process instances). */
  public long instancesStarted() {
    return counts.instancesStarted();
  }

  /** Calls received for {@code operation} (e.g. {@code "Invoke"}); 0 if none. */
  public int apiCalls(String operation) {
    return apiCalls.getOrDefault(operation, 0);
  }
}
