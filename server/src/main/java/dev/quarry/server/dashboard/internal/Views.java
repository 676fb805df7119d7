package dev.quarry.server.dashboard.internal;

import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/** Rows as the templates show them; the templates escape every string. */
public final class Views {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Views() {}

  /** One job in the list. */
  public record JobRow(
      String id,
      String state,
      String function,
      String label,
      String profile,
      int total,
      String created,
      String finished) {
    static JobRow of(JobRecord j) {
      return new JobRow(
          j.id().toString(),
          j.state().name(),
          j.function().name(),
          j.label(),
          j.profile() == null ? "default" : j.profile(),
          j.total(),
          time(j.createdAt()),
          time(j.finishedAt()));
    }
  }

  /** One future in a job's table. */
  public record FutureRow(
      int index,
      String state,
      int attempts,
      String queued,
      String duration,
      String start,
      boolean cold,
      int billedMs,
      String memory,
      String worker,
      boolean hasError,
      String errorType,
      String errorMessage) {
    static FutureRow of(JobRecord job, FinishedTask t) {
      String queued =
          t.startedAt() == null
              ? ""
              : Math.max(0, Duration.between(job.createdAt(), t.startedAt()).toMillis()) + " ms";
      boolean ended = t.state().terminal();
      return new FutureRow(
          t.index(),
          t.state().name(),
          t.attempt(),
          queued,
          ended && t.startedAt() != null ? t.durationMs() + " ms" : "",
          time(t.startedAt()),
          t.coldStart(),
          t.billedMs(),
          t.memorySizeMb() == 0 ? "" : t.memoryUsedMb() + " / " + t.memorySizeMb() + " MB",
          t.worker() == null ? "" : t.worker(),
          t.state() == dev.quarry.server.jobs.TaskState.FAILED,
          t.errorType() == null ? "" : t.errorType(),
          t.errorMessage() == null ? "" : t.errorMessage());
    }
  }

  static String time(@Nullable Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : d.toString();
  }
}
