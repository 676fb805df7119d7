package dev.quarry.lambda.emulator.internal;

import java.util.List;

/**
 * What running one invocation on an instance produced.
 *
 * @param durationNanos from the runtime receiving the invocation to its outcome
 * @param initNanos the instance's initialisation time for a cold start, else -1
 * @param maxMemoryUsedMb peak resident memory of the instance, 0 if unknown
 * @param output the instance's output lines written during the invocation
 */
record RunResult(
    InvocationOutcome outcome,
    long durationNanos,
    long initNanos,
    long maxMemoryUsedMb,
    List<String> output) {}
