package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.TaskState;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What happened to one attempt of a task, to be recorded in a batch. */
sealed interface Outcome {
  UUID jobId();

  int index();

  int attempt();

  /** The attempt ended: SUCCEEDED, or FAILED with an error (stored at resultKey when present). */
  record Finished(
      UUID jobId,
      int index,
      int attempt,
      TaskState state,
      @Nullable String resultKey,
      @Nullable String errorType,
      @Nullable String errorMessage,
      boolean functionError,
      int durationMs,
      boolean coldStart,
      @Nullable Platform platform)
      implements Outcome {

    Finished(
        UUID jobId, int index, int attempt, TaskState state, @Nullable String resultKey,
        @Nullable String errorType, @Nullable String errorMessage, boolean functionError,
        int durationMs, boolean coldStart) {
      this(jobId, index, attempt, state, resultKey, errorType, errorMessage, functionError,
          durationMs, coldStart, null);
    }
  }

  /** What a serverless platform reported about the invocation (billed time and memory). */
  record Platform(int billedMs, int memoryUsedMb, int memorySizeMb) {}

  /**
   * The invocation was never made (the backend's circuit is open): back to PENDING after {@code
   * delay} without spending the attempt, and the job says why.
   */
  record Requeue(UUID jobId, int index, int attempt, Duration delay, String reason)
      implements Outcome {}

  /** The attempt failed in a retryable way: back to PENDING after {@code delay}. */
  record Retry(
      UUID jobId, int index, int attempt, Duration delay, String errorType, String errorMessage)
      implements Outcome {}
}
