package dev.quarry.server.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskCounts;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A job as REST shows it. */
record JobView(
    String id,
    String function,
    String state,
    String codec,
    @JsonUnwrapped TaskCounts counts,
    int chunkSize,
    int maxAttempts,
    long timeoutMs,
    String label,
    String message,
    Instant createdAt,
    @Nullable Instant finishedAt,
    String resultsUrl) {

  static JobView of(JobRecord j) {
    return new JobView(
        j.id().toString(),
        j.function().name(),
        j.state().name(),
        j.function().codec(),
        TaskCounts.of(j),
        j.chunkSize(),
        j.maxAttempts(),
        j.timeoutMs(),
        j.label(),
        j.message(),
        j.createdAt(),
        j.finishedAt(),
        "/v1/jobs/" + j.id() + "/results");
  }
}
