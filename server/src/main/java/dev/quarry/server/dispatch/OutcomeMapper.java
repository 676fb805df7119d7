package dev.quarry.server.dispatch;

import dev.quarry.backend.BackendException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.springframework.stereotype.Component;

/**
 * Turns what a backend answered into outcomes: results, function failures (retried only when
 * the job asks), and invocation failures (retried with backoff while attempts remain).
 */
@Component
class OutcomeMapper {
  private static final int MAX_MESSAGE = 4000;
  private final RetryPolicy retry;

  OutcomeMapper(RetryPolicy retry) {
    this.retry = retry;
  }

  List<Outcome> fromSummary(JobRecord job, List<ClaimedTask> tasks, InvocationSummary summary) {
    if (summary.hasInvocationError()) {
      RemoteError e = summary.getInvocationError();
      return tasks.stream()
          .map(t -> failure(job, t, e.getType(), e.getMessage(), e.getFunctionError(), summary))
          .toList();
    }
    Map<Integer, TaskOutcome> byIndex = new HashMap<>();
    for (TaskOutcome o : summary.getOutcomesList()) {
      byIndex.put(index(o.getTaskId()), o);
    }
    List<Outcome> out = new ArrayList<>(tasks.size());
    for (ClaimedTask t : tasks) {
      TaskOutcome o = byIndex.get(t.index());
      if (o == null) {
        out.add(failure(job, t, "dev.quarry.MissingOutcome", "worker gave no outcome", false, summary));
      } else if (o.getOk()) {
        out.add(
            new Outcome.Finished(
                job.id(), t.index(), t.attempt(), TaskState.SUCCEEDED, o.getResultKey(), null,
                null, false, duration(o), cold(summary), platform(summary)));
      } else {
        RemoteError e = o.getError();
        if (e.getFunctionError() && !(job.retryFunctionErrors() && t.attempt() < job.maxAttempts())) {
          out.add(
              new Outcome.Finished(
                  job.id(), t.index(), t.attempt(), TaskState.FAILED,
                  o.getResultKey().isEmpty() ? null : o.getResultKey(), e.getType(),
                  clip(e.getMessage()), true, duration(o), cold(summary), platform(summary)));
        } else {
          out.add(failure(job, t, e.getType(), e.getMessage(), e.getFunctionError(), summary));
        }
      }
    }
    return out;
  }

  List<Outcome> fromFailure(JobRecord job, List<ClaimedTask> tasks, Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof BackendException be && be.getCause() instanceof CompletionException ce
        && ce.getCause() instanceof dev.quarry.backend.resilience.CircuitOpenException nested) {
      cause = nested;
    }
    if (cause instanceof dev.quarry.backend.resilience.CircuitOpenException open) {
      java.time.Duration wait =
          java.time.Duration.between(java.time.Instant.now(), open.openUntil());
      java.time.Duration delay = wait.isNegative() ? java.time.Duration.ofSeconds(1) : wait;
      String reason = "waiting: " + open.getMessage();
      return tasks.stream()
          .map(t -> (Outcome) new Outcome.Requeue(job.id(), t.index(), t.attempt(), delay, reason))
          .toList();
    }
    boolean retryable = !(cause instanceof BackendException be) || be.kind().retryable();
    String type =
        cause instanceof BackendException be
            ? "dev.quarry.backend." + be.kind().name().toLowerCase(java.util.Locale.ROOT)
            : cause.getClass().getName();
    String message = String.valueOf(cause.getMessage());
    return tasks.stream()
        .map(
            t ->
                retryable && t.attempt() < job.maxAttempts()
                    ? (Outcome)
                        new Outcome.Retry(
                            job.id(), t.index(), t.attempt(), retry.delayAfter(t.attempt()), type,
                            clip(message))
                    : new Outcome.Finished(
                        job.id(), t.index(), t.attempt(), TaskState.FAILED, null, type,
                        clip(message + " (attempt " + t.attempt() + " of " + job.maxAttempts() + ")"),
                        false, 0, false))
        .toList();
  }

  private Outcome failure(
      JobRecord job, ClaimedTask t, String type, String message, boolean functionError,
      InvocationSummary summary) {
    if (!functionError && t.attempt() < job.maxAttempts()
        || functionError && job.retryFunctionErrors() && t.attempt() < job.maxAttempts()) {
      return new Outcome.Retry(
          job.id(), t.index(), t.attempt(), retry.delayAfter(t.attempt()), type, clip(message));
    }
    return new Outcome.Finished(
        job.id(), t.index(), t.attempt(), TaskState.FAILED, null, type, clip(message),
        functionError, 0, cold(summary), platform(summary));
  }

  /** Platform backends report their own cold start (a new instance); others the worker's. */
  private static boolean cold(InvocationSummary summary) {
    return summary.hasPlatform() ? summary.getPlatform().getColdStart() : summary.getColdStart();
  }

  private static Outcome.@org.jspecify.annotations.Nullable Platform platform(InvocationSummary summary) {
    if (!summary.hasPlatform()) {
      return null;
    }
    var p = summary.getPlatform();
    return new Outcome.Platform((int) p.getBilledDurationMs(), p.getMaxMemoryUsedMb(), p.getMemorySizeMb());
  }

  private static int index(String taskId) {
    return Integer.parseInt(taskId.substring(taskId.lastIndexOf(':') + 1));
  }

  private static int duration(TaskOutcome o) {
    return (int) Math.max(0, o.getEndMs() - o.getStartMs());
  }

  private static String clip(String s) {
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) : s;
  }
}
