package dev.quarry.cli;

import dev.quarry.client.FutureStats;
import dev.quarry.client.JobSummary;
import dev.quarry.client.QuarryJobs;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quarry stats JOB [INDEX]}: a job's summary, or one future's statistics. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Without INDEX: the job's summary (counts, duration and queue-time percentiles, CPU, bytes,"
          + " cost estimate). With INDEX: that future's statistics (queue time, start, end,"
          + " worker, cold start, CPU time, peak heap, bytes read and written, attempts).",
      "With --output json: the summary or the statistics as the API returns them. An unknown job"
          + " or index exits with 5."
    })
final class StatsCommand extends Cmd {
  @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
  String job;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "INDEX",
      description = "A future's input index, from 0.")
  @Nullable Integer index;

  @Override
  int run() {
    try (QuarryJobs jobs = jobs()) {
      if (index == null) {
        JobSummary s = jobs.summary(job);
        output().print(s, List.of("FIGURE", "VALUE"), summary(s));
      } else {
        FutureStats s = jobs.stats(job, index);
        output().print(s, List.of("FIGURE", "VALUE"), future(s));
      }
    }
    return ExitCodes.OK;
  }

  private static List<List<String>> summary(JobSummary s) {
    JobSummary.Cost c = s.cost();
    return List.of(
        row("state", s.state()),
        row("futures", s.total()),
        row(
            "succeeded / failed / cancelled",
            s.succeeded() + " / " + s.failed() + " / " + s.cancelled()),
        row("pending / running", s.pending() + " / " + s.running()),
        row("attempts", s.attempts()),
        row("cold starts", s.coldStarts()),
        row("duration", distribution(s.duration())),
        row("queue time", distribution(s.queue())),
        row("CPU", s.cpuMs() + " ms"),
        row("bytes read / written", s.bytesRead() + " / " + s.bytesWritten()),
        row("peak heap", s.peakMemoryBytes() + " bytes"),
        row(
            "cost",
            c.available()
                ? String.format(
                    Locale.ROOT,
                    "%.6f %s (%.3f GB-s, %d invocations; estimate)",
                    c.total(),
                    c.currency(),
                    c.gbSeconds(),
                    c.invocations())
                : c.reason()));
  }

  private static List<List<String>> future(FutureStats s) {
    return List.of(
        row("state", s.state()),
        row("attempts", s.attempts()),
        row("queue time", s.queueTime().toMillis() + " ms"),
        row("started", s.startedAt() == null ? "" : s.startedAt()),
        row("finished", s.finishedAt() == null ? "" : s.finishedAt()),
        row("duration", s.duration().toMillis() + " ms"),
        row("worker", s.workerId()),
        row("cold start", s.coldStart()),
        row("CPU", s.cpuTime().toMillis() + " ms"),
        row("peak heap", s.peakMemoryBytes() + " bytes"),
        row("bytes read / written", s.bytesRead() + " / " + s.bytesWritten()),
        row("billed", s.billedDuration().toMillis() + " ms"));
  }

  private static String distribution(JobSummary.Distribution d) {
    return String.format(
        Locale.ROOT,
        "total %d ms, mean %.1f, p50 %.1f, p95 %.1f, p99 %.1f, max %d",
        d.totalMs(),
        d.meanMs(),
        d.p50Ms(),
        d.p95Ms(),
        d.p99Ms(),
        d.maxMs());
  }

  private static List<String> row(String name, Object value) {
    return List.of(name, String.valueOf(value));
  }
}
