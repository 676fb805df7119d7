package dev.quarry.server.jobs;

import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one attempt of a task, to be recorded by the {@link TaskStore}. Every write is
 * guarded by (task, attempt, RUNNING), so a late or duplicate outcome changes nothing.
 */
public sealed interface Outcome {
  TaskId task();

  int attempt();

  default UUID jobId() {
    return task().job();
  }

  /**
   * The attempt ended: SUCCEEDED, or FAILED with an error (stored at resultKey when present);
   * logKey holds what its function printed, when it printed; worker names the worker (host or
   * instance) that ran it, when one reported.
   */
  record Finished(
      TaskId task,
      int attempt,
      TaskState state,
      @Nullable String resultKey,
      @Nullable String errorType,
      @Nullable String errorMessage,
      boolean functionError,
      int durationMs,
      boolean coldStart,
      @Nullable Platform platform,
      @Nullable String logKey,
      @Nullable String worker)
      implements Outcome {
    public Finished {
      if (!state.terminal()) {
        throw new IllegalArgumentException("a finished attempt needs a terminal state: " + state);
      }
    }
  }

  /** What a serverless platform reported about the invocation (billed time and memory). */
  record Platform(int billedMs, int memoryUsedMb, int memorySizeMb) {}

  /**
   * The invocation was never made (the backend's circuit is open): back to PENDING after {@code
   * delay} without spending the attempt, and the job says why.
   */
  record Requeue(TaskId task, int attempt, Duration delay, String reason) implements Outcome {}

  /**
   * The attempt failed in a retryable way: back to PENDING after {@code delay}; logKey holds what
   * its function printed, when it printed.
   */
  record Retry(
      TaskId task,
      int attempt,
      Duration delay,
      String errorType,
      String errorMessage,
      @Nullable String logKey)
      implements Outcome {}
}
