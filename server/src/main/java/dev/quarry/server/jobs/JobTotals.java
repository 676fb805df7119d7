package dev.quarry.server.jobs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A job's figures over its futures' latest recorded attempts, computed by the database in one
 * aggregate.
 *
 * @param counts futures per state (flat in JSON)
 * @param started futures that ran at least once (those the distributions cover)
 * @param attempts attempts made over all futures
 * @param peakMemoryBytes the highest peak heap any future's worker reported
 * @param gbSeconds memory size (GB) times billed duration (s) over distinct invocations (serverless
 *     backends only)
 * @param billedInvocations distinct invocations that reported a billed duration
 */
public record JobTotals(
    @JsonUnwrapped TaskCounts counts,
    int started,
    int coldStarts,
    long attempts,
    Distribution duration,
    Distribution queue,
    long cpuMs,
    long bytesRead,
    long bytesWritten,
    long peakMemoryBytes,
    double gbSeconds,
    long billedInvocations) {

  /** Total, mean, percentiles and maximum of one measure, in milliseconds (0 without data). */
  public record Distribution(
      long totalMs, double meanMs, double p50Ms, double p95Ms, double p99Ms, long maxMs) {}
}
