package dev.quarry.emulator.stats;

/**
 * Invocation counters since an emulator started; a snapshot.
 *
 * @param invocations invocations handed to an instance, whatever their outcome
 * @param coldStarts invocations that waited for a new instance to initialise
 * @param throttled calls answered 429 (injected or over the concurrency limit)
 * @param serverErrors calls answered with an injected 5xx
 * @param crashes invocations whose instance exited while running them, injected or not
 * @param timeouts invocations that ran past the function's timeout
 * @param functionErrors invocations that failed: handler errors, init errors, crashes, timeouts
 * @param slowResponses responses delayed by the {@code slowResponses} fault
 * @param instancesStarted instances created (child JVMs and in-process instances)
 */
public record InvocationStats(
    long invocations,
    long coldStarts,
    long throttled,
    long serverErrors,
    long crashes,
    long timeouts,
    long functionErrors,
    long slowResponses,
    long instancesStarted) {}
