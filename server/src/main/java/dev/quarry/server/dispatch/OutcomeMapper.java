package dev.quarry.server.dispatch;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.resilience.CircuitOpenException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.server.dispatch.RetryPolicy.Failure;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.StorageKeys;
import dev.quarry.server.jobs.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns what a backend answered into outcomes: results, and failures that the {@link RetryPolicy}
 * either retries or makes final.
 */
@Component
class OutcomeMapper {
  private static final int MAX_MESSAGE = 4000;
  private static final int MAX_WORKER = 200;
  private final RetryPolicy retry;
  private final Clock clock;

  OutcomeMapper(RetryPolicy retry, Clock clock) {
    this.retry = retry;
    this.clock = clock;
  }

  /** What a failed attempt becomes: PENDING again after a delay, or FAILED for good. */
  private Outcome failure(
      JobRecord job,
      ClaimedTask t,
      Failure kind,
      String type,
      String message,
      @Nullable String resultKey,
      int durationMs,
      @Nullable InvocationSummary summary,
      @Nullable String logKey,
      Outcome.@Nullable Usage usage) {
    Optional<Duration> again =
        retry.retryAfter(kind, t.attemptInRun(), job.maxAttempts(), job.retryFunctionErrors());
    if (again.isPresent()) {
      return new Outcome.Retry(t.id(), t.attempt(), again.get(), type, clip(message), logKey);
    }
    String finalMessage =
        kind == Failure.FUNCTION
            ? message
            : message + " (attempt " + t.attemptInRun() + " of " + job.maxAttempts() + ")";
    return new Outcome.Finished(
        t.id(),
        t.attempt(),
        TaskState.FAILED,
        resultKey,
        type,
        clip(finalMessage),
        kind == Failure.FUNCTION,
        durationMs,
        summary != null && cold(summary),
        summary == null ? null : platform(summary),
        logKey,
        summary == null ? null : worker(summary),
        usage);
  }

  List<Outcome> fromSummary(JobRecord job, List<ClaimedTask> tasks, InvocationSummary summary) {
    if (summary.hasInvocationError()) {
      RemoteError e = summary.getInvocationError();
      return tasks.stream().map(t -> failure(job, t, remote(e), summary)).toList();
    }
    Map<Integer, TaskOutcome> byIndex = new HashMap<>();
    for (TaskOutcome o : summary.getOutcomesList()) {
      byIndex.put(o.getIndex(), o);
    }
    List<Outcome> out = new ArrayList<>(tasks.size());
    for (ClaimedTask t : tasks) {
      TaskOutcome o = byIndex.get(t.index());
      if (o == null) {
        out.add(
            failure(
                job,
                t,
                Failure.TRANSIENT,
                "dev.quarry.MissingOutcome",
                "worker gave no outcome",
                null,
                0,
                summary,
                null,
                null));
      } else if (o.getOk()) {
        out.add(
            new Outcome.Finished(
                t.id(),
                t.attempt(),
                TaskState.SUCCEEDED,
                o.getResultKey(),
                null,
                null,
                false,
                duration(o),
                cold(summary),
                platform(summary),
                logKey(job, t, o),
                worker(summary),
                usage(o)));
      } else {
        RemoteError e = o.getError();
        String key = o.getResultKey().isEmpty() ? null : o.getResultKey();
        out.add(
            failure(
                job,
                t,
                remote(e).kind,
                e.getType(),
                e.getMessage(),
                remote(e).kind == Failure.FUNCTION ? key : null,
                duration(o),
                summary,
                logKey(job, t, o),
                usage(o)));
      }
    }
    return out;
  }

  List<Outcome> fromFailure(JobRecord job, List<ClaimedTask> tasks, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof CircuitOpenException open) {
      Duration wait = Duration.between(clock.instant(), open.openUntil());
      Duration delay = wait.isNegative() ? Duration.ofSeconds(1) : wait;
      String reason = "waiting: " + open.getMessage();
      return tasks.stream()
          .map(t -> (Outcome) new Outcome.Requeue(t.id(), t.attempt(), delay, reason))
          .toList();
    }
    Failure kind =
        cause instanceof BackendException be && !be.kind().retryable()
            ? Failure.PERMANENT
            : Failure.TRANSIENT;
    String type =
        cause instanceof BackendException be
            ? "dev.quarry.backend." + be.kind().name().toLowerCase(Locale.ROOT)
            : cause.getClass().getName();
    String message = String.valueOf(cause.getMessage());
    return tasks.stream()
        .map(t -> failure(job, t, kind, type, message, null, 0, null, null, null))
        .toList();
  }

  private record Remote(Failure kind, String type, String message) {}

  private static Remote remote(RemoteError e) {
    return new Remote(
        e.getFunctionError() ? Failure.FUNCTION : Failure.TRANSIENT, e.getType(), e.getMessage());
  }

  private Outcome failure(JobRecord job, ClaimedTask t, Remote e, InvocationSummary summary) {
    return failure(job, t, e.kind(), e.type(), e.message(), null, 0, summary, null, null);
  }

  /** The log key a worker reported, if it is the one this attempt was given (else none). */
  private static @Nullable String logKey(JobRecord job, ClaimedTask t, TaskOutcome o) {
    String expected = StorageKeys.log(job.tenantId(), job.id(), t.index(), t.attempt());
    return expected.equals(o.getLogKey()) ? expected : null;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof BackendException be
        && be.getCause() instanceof CompletionException ce
        && ce.getCause() instanceof CircuitOpenException nested) {
      return nested;
    }
    return cause;
  }

  /** Platform backends report their own cold start (a new instance); others the worker's. */
  private static boolean cold(InvocationSummary summary) {
    return summary.hasPlatform() ? summary.getPlatform().getColdStart() : summary.getColdStart();
  }

  private static Outcome.@Nullable Platform platform(InvocationSummary summary) {
    if (!summary.hasPlatform()) {
      return null;
    }
    var p = summary.getPlatform();
    return new Outcome.Platform(
        (int) p.getBilledDurationMs(), p.getMaxMemoryUsedMb(), p.getMemorySizeMb());
  }

  /** The worker's id as it reported it, bounded (it is the tenant's text), or none. */
  private static @Nullable String worker(InvocationSummary summary) {
    String id = summary.getWorkerId().strip();
    return id.isEmpty() ? null : clip(id, MAX_WORKER);
  }

  private static Outcome.Usage usage(TaskOutcome o) {
    return new Outcome.Usage(
        o.getCpuMs(), o.getPeakMemoryBytes(), o.getBytesRead(), o.getBytesWritten());
  }

  private static int duration(TaskOutcome o) {
    return (int) Math.max(0, o.getEndMs() - o.getStartMs());
  }

  private static String clip(String s) {
    return clip(s, MAX_MESSAGE);
  }

  private static String clip(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }
}
