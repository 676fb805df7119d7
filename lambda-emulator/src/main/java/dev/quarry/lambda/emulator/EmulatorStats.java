package dev.quarry.lambda.emulator;

import java.util.Map;

/**
 * Counters since the emulator started. A snapshot: values do not change after it is taken.
 *
 * @param invocations invocations handed to an instance (RequestResponse and Event), whatever their
 *     outcome; DryRun, throttled and failed-before-running calls are not counted
 * @param coldStarts invocations that waited for a new instance to initialise
 * @param throttled Invoke calls answered {@code 429 TooManyRequestsException} (injected or because
 *     the concurrency limit was reached)
 * @param serverErrors Invoke calls answered with an injected 5xx ({@code serverErrorRate} or {@code
 *     unavailable})
 * @param crashes invocations whose instance exited while running them ({@code Runtime.ExitError}),
 *     injected or not
 * @param timeouts invocations that ran past the function's timeout ({@code Sandbox.Timedout})
 * @param functionErrors invocations answered with {@code X-Amz-Function-Error} (handler errors,
 *     init errors, crashes and timeouts)
 * @param slowResponses responses delayed by {@code slowResponses}
 * @param instancesStarted instances created (child JVMs and in-process instances)
 * @param apiCalls calls received per Lambda API operation, e.g. {@code "CreateFunction" -> 1},
 *     {@code "Invoke" -> 2000}, including calls that failed authentication
 */
public record EmulatorStats(
    long invocations,
    long coldStarts,
    long throttled,
    long serverErrors,
    long crashes,
    long timeouts,
    long functionErrors,
    long slowResponses,
    long instancesStarted,
    Map<String, Integer> apiCalls) {

  public EmulatorStats {
    apiCalls = Map.copyOf(apiCalls);
  }

  /** Calls received for {@code operation} (e.g. {@code "Invoke"}); 0 if none. */
  public int apiCalls(String operation) {
    return apiCalls.getOrDefault(operation, 0);
  }
}
