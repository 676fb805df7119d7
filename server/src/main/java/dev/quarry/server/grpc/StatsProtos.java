package dev.quarry.server.grpc;

import dev.quarry.proto.v1.Cost;
import dev.quarry.proto.v1.Distribution;
import dev.quarry.proto.v1.FutureStats;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.JobSummary;
import dev.quarry.proto.v1.TaskState;
import dev.quarry.server.jobs.JobTotals;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Statistics and summaries as gRPC messages. */
final class StatsProtos {
  private StatsProtos() {}

  static FutureStats future(dev.quarry.server.jobs.FutureStats s) {
    FutureStats.Builder b =
        FutureStats.newBuilder()
            .setIndex(s.index())
            .setState(TaskState.valueOf("TASK_STATE_" + s.state().name()))
            .setAttempts(s.attempts())
            .setQueueMs(s.queueMs())
            .setStartedAtMs(millis(s.startedAt()))
            .setFinishedAtMs(millis(s.finishedAt()))
            .setDurationMs(s.durationMs())
            .setColdStart(s.coldStart())
            .setCpuMs(s.cpuMs())
            .setPeakMemoryBytes(s.peakMemoryBytes())
            .setBytesRead(s.bytesRead())
            .setBytesWritten(s.bytesWritten())
            .setBilledDurationMs(s.billedMs())
            .setMemoryUsedMb(s.memoryUsedMb())
            .setMemorySizeMb(s.memorySizeMb());
    if (s.workerId() != null) {
      b.setWorkerId(s.workerId());
    }
    return b.build();
  }

  static JobSummary summary(dev.quarry.server.stats.JobSummary s) {
    JobTotals t = s.totals();
    dev.quarry.server.stats.Cost c = s.cost();
    return JobSummary.newBuilder()
        .setJobId(s.jobId().toString())
        .setState(JobState.valueOf("JOB_STATE_" + s.state().name()))
        .setTotal(t.counts().total())
        .setPending(t.counts().pending())
        .setRunning(t.counts().running())
        .setSucceeded(t.counts().succeeded())
        .setFailed(t.counts().failed())
        .setCancelled(t.counts().cancelled())
        .setStarted(t.started())
        .setColdStarts(t.coldStarts())
        .setAttempts(t.attempts())
        .setDuration(distribution(t.duration()))
        .setQueue(distribution(t.queue()))
        .setCpuMs(t.cpuMs())
        .setBytesRead(t.bytesRead())
        .setBytesWritten(t.bytesWritten())
        .setPeakMemoryBytes(t.peakMemoryBytes())
        .setCost(
            Cost.newBuilder()
                .setAvailable(c.available())
                .setReason(c.reason())
                .setCurrency(c.currency())
                .setTotal(c.total())
                .setCompute(c.compute())
                .setRequests(c.requests())
                .setGbSeconds(c.gbSeconds())
                .setInvocations(c.invocations())
                .setPricePerGbSecond(c.pricePerGbSecond())
                .setPricePerMillionRequests(c.pricePerMillionRequests()))
        .build();
  }

  private static Distribution distribution(JobTotals.Distribution d) {
    return Distribution.newBuilder()
        .setTotalMs(d.totalMs())
        .setMeanMs(d.meanMs())
        .setP50Ms(d.p50Ms())
        .setP95Ms(d.p95Ms())
        .setP99Ms(d.p99Ms())
        .setMaxMs(d.maxMs())
        .build();
  }

  private static long millis(@Nullable Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }
}
