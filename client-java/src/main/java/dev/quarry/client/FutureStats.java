package dev.quarry.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Statistics of one future's latest recorded attempt, like Lithops' per-future stats. Measured
 * figures are 0 when no worker reported them (not started yet, cancelled, or lost with its worker).
 *
 * @param index the future's input index
 * @param state {@code PENDING}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED} or {@code
 *     CANCELLED}
 * @param attempts attempts made so far, retries included
 * @param queueTime from the moment the future became runnable (submission or retry) to the start of
 *     its latest attempt
 * @param startedAt when its latest attempt was handed to a backend, null if it never started
 * @param finishedAt when it ended, null while it runs
 * @param duration how long the function ran, as the worker measured
 * @param workerId the worker (host, pod or instance) that ran it, empty if none reported
 * @param coldStart the platform started a new instance (Lambda) or the worker loaded the function
 * @param cpuTime CPU time of the thread that ran the function
 * @param peakMemoryBytes the worker JVM's peak heap use while it ran
 * @param bytesRead its input plus what it read through context storage
 * @param bytesWritten its result plus what it wrote through context storage
 * @param billedDuration serverless backends (Lambda): billed duration of its invocation
 * @param memoryUsedMb serverless backends: memory the platform reported used
 * @param memorySizeMb serverless backends: memory size of the function
 */
public record FutureStats(
    int index,
    String state,
    int attempts,
    Duration queueTime,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    Duration duration,
    String workerId,
    boolean coldStart,
    Duration cpuTime,
    long peakMemoryBytes,
    long bytesRead,
    long bytesWritten,
    Duration billedDuration,
    int memoryUsedMb,
    int memorySizeMb) {

  /** The worker, when one reported. */
  public Optional<String> worker() {
    return workerId.isEmpty() ? Optional.empty() : Optional.of(workerId);
  }
}
