package dev.quarry.server.jobs;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one future's latest recorded attempt (Lithops' per-future stats). Measured
 * figures are 0 when no worker reported them (not started yet, lost with its lease, cancelled).
 *
 * @param attempts attempts made so far (retries included)
 * @param queueMs from the moment the future became runnable (its job's submission, or its retry) to
 *     the start of its latest attempt; 0 if it has not started
 * @param startedAt when its latest attempt was handed to a backend
 * @param cpuMs CPU time of the thread that ran the function
 * @param peakMemoryBytes the worker JVM's peak heap use while it ran
 * @param bytesRead its input plus what it read through context storage
 * @param bytesWritten its result plus what it wrote through context storage
 * @param billedMs serverless backends only (Lambda): billed duration of its invocation
 */
public record FutureStats(
    int index,
    TaskState state,
    int attempts,
    long queueMs,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    long durationMs,
    @Nullable String workerId,
    boolean coldStart,
    long cpuMs,
    long peakMemoryBytes,
    long bytesRead,
    long bytesWritten,
    long billedMs,
    int memoryUsedMb,
    int memorySizeMb) {}
