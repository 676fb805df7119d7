package dev.quarry.client.internal;

import dev.quarry.client.FutureStats;
import dev.quarry.client.JobSummary;
import dev.quarry.proto.v1.Distribution;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Converts statistics messages to the client's value types. */
public final class StatsViews {
  private StatsViews() {}

  public static FutureStats future(dev.quarry.proto.v1.FutureStats s) {
    return new FutureStats(
        s.getIndex(),
        s.getState().name().replace("TASK_STATE_", ""),
        s.getAttempts(),
        Duration.ofMillis(s.getQueueMs()),
        instant(s.getStartedAtMs()),
        instant(s.getFinishedAtMs()),
        Duration.ofMillis(s.getDurationMs()),
        s.getWorkerId(),
        s.getColdStart(),
        Duration.ofMillis(s.getCpuMs()),
        s.getPeakMemoryBytes(),
        s.getBytesRead(),
        s.getBytesWritten(),
        Duration.ofMillis(s.getBilledDurationMs()),
        s.getMemoryUsedMb(),
        s.getMemorySizeMb());
  }

  public static JobSummary summary(dev.quarry.proto.v1.JobSummary s) {
    var c = s.getCost();
    return new JobSummary(
        s.getJobId(),
        ProtoViews.state(s.getState()),
        s.getTotal(),
        s.getPending(),
        s.getRunning(),
        s.getSucceeded(),
        s.getFailed(),
        s.getCancelled(),
        s.getStarted(),
        s.getColdStarts(),
        s.getAttempts(),
        distribution(s.getDuration()),
        distribution(s.getQueue()),
        s.getCpuMs(),
        s.getBytesRead(),
        s.getBytesWritten(),
        s.getPeakMemoryBytes(),
        new JobSummary.Cost(
            c.getAvailable(),
            c.getReason(),
            c.getCurrency(),
            c.getTotal(),
            c.getCompute(),
            c.getRequests(),
            c.getGbSeconds(),
            c.getInvocations(),
            c.getPricePerGbSecond(),
            c.getPricePerMillionRequests()));
  }

  private static JobSummary.Distribution distribution(Distribution d) {
    return new JobSummary.Distribution(
        d.getTotalMs(), d.getMeanMs(), d.getP50Ms(), d.getP95Ms(), d.getP99Ms(), d.getMaxMs());
  }

  private static @Nullable Instant instant(long ms) {
    return ms == 0 ? null : Instant.ofEpochMilli(ms);
  }
}
