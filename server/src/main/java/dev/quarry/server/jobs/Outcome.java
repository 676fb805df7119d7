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
   * instance) that ran it, when one reported; usage is what the worker measured, when it reported.
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
      @Nullable String worker,
      @Nullable Usage usage)
      implements Outcome {
    public Finished {
      if (!state.terminal()) {
        throw new IllegalArgumentException("a finished attempt needs a terminal state: " + state);
      }
    }
  }

  /**
   * What a worker measured while an attempt ran. The figures come from tenant code's process, so
   * each is clamped to {@code 0..}{@link #MAX}.
   */
  record Usage(long cpuMs, long peakMemoryBytes, long bytesRead, long bytesWritten) {
    /** 2^50: about 35 years of CPU milliseconds, or a PiB. */
    public static final long MAX = 1L << 50;

    public Usage {
      cpuMs = clamp(cpuMs);
      peakMemoryBytes = clamp(peakMemoryBytes);
      bytesRead = clamp(bytesRead);
      bytesWritten = clamp(bytesWritten);
    }

    private static long clamp(long v) {
      return Math.clamp(v, 0, MAX);
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
