package dev.quarry.client;

/**
 * A job's summary over its futures' latest recorded attempts: counts, distributions of duration and
 * queue time, totals, and a cost estimate from the backend's pricing settings.
 *
 * @param started futures that ran at least once (those the distributions cover)
 * @param attempts attempts over all futures
 * @param cpuMs CPU time over all futures
 * @param peakMemoryBytes the highest peak heap any future's worker reported
 */
public record JobSummary(
    String jobId,
    JobInfo.State state,
    int total,
    int pending,
    int running,
    int succeeded,
    int failed,
    int cancelled,
    int started,
    int coldStarts,
    long attempts,
    Distribution duration,
    Distribution queue,
    long cpuMs,
    long bytesRead,
    long bytesWritten,
    long peakMemoryBytes,
    Cost cost) {

  /** Total, mean, percentiles and maximum of one measure, in milliseconds (0 without data). */
  public record Distribution(
      long totalMs, double meanMs, double p50Ms, double p95Ms, double p99Ms, long maxMs) {}

  /**
   * An estimate, never a bill: {@code gbSeconds * pricePerGbSecond + invocations *
   * pricePerMillionRequests / 1e6}. Backends without a cost model (local, standalone, Kubernetes)
   * give {@code available=false} and a reason.
   */
  public record Cost(
      boolean available,
      String reason,
      String currency,
      double total,
      double compute,
      double requests,
      double gbSeconds,
      long invocations,
      double pricePerGbSecond,
      double pricePerMillionRequests) {}
}
