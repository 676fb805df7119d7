package dev.quarry.server.dashboard.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskCounts;
import java.time.Duration;
import java.time.Instant;

/**
 * A job's progress as the page shows it and each live event carries: counts per state, percent of
 * futures ended, futures per second since the job started, and the time left at that rate. Public,
 * as the view records ({@link Views}) are, so the job page's SpEL compiles its calls to it instead
 * of making them by reflection.
 */
public record Progress(
    String id,
    String state,
    boolean terminal,
    @JsonUnwrapped TaskCounts counts,
    int percent,
    String perSecond,
    String eta,
    String message) {

  static Progress of(JobRecord job, Instant now) {
    TaskCounts counts = TaskCounts.of(job);
    int done = counts.ended();
    int percent = job.total() == 0 ? 100 : (int) Math.floor(100.0 * done / job.total());
    Instant end = job.finishedAt() == null ? now : job.finishedAt();
    double seconds = Math.max(0.001, Duration.between(job.createdAt(), end).toMillis() / 1000.0);
    double rate = done / seconds;
    String eta;
    if (job.state().terminal()) {
      eta = "ended";
    } else if (rate <= 0) {
      eta = "unknown";
    } else {
      eta = Views.duration(Duration.ofMillis((long) ((job.total() - done) / rate * 1000)));
    }
    return new Progress(
        job.id().toString(),
        job.state().name(),
        job.state().terminal(),
        counts,
        percent,
        tenths(rate),
        eta,
        job.message());
  }

  /**
   * {@code value} rounded to one decimal, as {@code String.format("%.1f")} with the root locale
   * writes it: each event of every open page carries one, and the formatter parsed its pattern each
   * time.
   */
  static String tenths(double value) {
    long tenths = Math.round(value * 10);
    return (tenths / 10) + "." + (tenths % 10);
  }
}
