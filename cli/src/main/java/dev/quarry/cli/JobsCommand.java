package dev.quarry.cli;

import dev.quarry.client.JobInfo;
import dev.quarry.client.QuarryJobs;
import dev.quarry.client.RetriedJob;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry jobs list|get|watch|cancel|retry-failed|results}. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List, watch and cancel jobs; read their results.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Get.class,
      WatchCommand.class,
      JobsCommand.Cancel.class,
      JobsCommand.RetryFailed.class,
      JobsCommand.Results.class,
      PlotCommand.class
    })
final class JobsCommand extends Cmd {
  @Override
  int run() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The team's most recent jobs, newest first.")
  static final class ListJobs extends Cmd {
    @Mixin LimitOption limit = new LimitOption(20);

    @Override
    int run() {
      try (QuarryJobs jobs = jobs()) {
        List<JobInfo> list = jobs.list(limit.value());
        output()
            .print(
                list.stream().map(Views::job).toList(),
                Views.JOB_HEADERS,
                list.stream().map(Views::jobRow).toList());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "One job's state and counts.")
  static final class Get extends Cmd {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String id;

    @Override
    int run() {
      try (QuarryJobs jobs = jobs()) {
        JobInfo j = jobs.get(id);
        output().print(Views.job(j), Views.JOB_HEADERS, List.of(Views.jobRow(j)));
        if (!output().json() && !j.message().isEmpty()) {
          out().println("message: " + Output.clean(j.message()));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a job's unfinished futures (a finished job is left as it is).")
  static final class Cancel extends Cmd {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String id;

    @Override
    int run() {
      try (QuarryJobs jobs = jobs()) {
        JobInfo j = jobs.cancel(id);
        output().print(Views.job(j), Views.JOB_HEADERS, List.of(Views.jobRow(j)));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "retry-failed",
      mixinStandardHelpOptions = true,
      description = {
        "Run a job's failed futures again, each with fresh attempts; a finished job runs again"
            + " until they end (follow it with `quarry jobs watch JOB`).",
        "A job without failed futures is left as it is; a cancelled job cannot be retried (exit 1)."
      })
  static final class RetryFailed extends Cmd {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String id;

    @Override
    int run() {
      try (QuarryJobs jobs = jobs()) {
        RetriedJob r = jobs.retryFailed(id);
        output().print(Views.retried(r), Views.JOB_HEADERS, List.of(Views.jobRow(r.job())));
        if (!output().json()) {
          out()
              .println("retried " + r.retried() + " failed future" + (r.retried() == 1 ? "" : "s"));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "results",
      mixinStandardHelpOptions = true,
      description = {
        "Stream a job's results as its futures finish, until the job ends: NDJSON with"
            + " --output json (one object per line), else a table.",
        "Exits with 1 if a future failed or was cancelled."
      })
  static final class Results extends Cmd {
    @Parameters(paramLabel = "JOB", description = "The job id.")
    String id;

    @Option(
        names = "--order",
        defaultValue = "completion",
        paramLabel = "completion|input",
        description = "Completion order (default) or input order.")
    String order;

    @Override
    int run() {
      if (!order.equals("completion") && !order.equals("input")) {
        throw new IllegalArgumentException(
            "--order must be 'completion' or 'input', got '" + order + "'");
      }
      boolean json = settings().json();
      AtomicInteger bad = new AtomicInteger();
      AtomicInteger rows = new AtomicInteger();
      try (QuarryJobs jobs = jobs()) {
        jobs.results(
            id,
            order.equals("input"),
            r -> {
              if (!json && rows.getAndIncrement() == 0) {
                out().printf("%-7s %-10s %9s  %s%n", "INDEX", "STATE", "DURATION", "RESULT");
              }
              if (!r.state().equals("SUCCEEDED")) {
                bad.incrementAndGet();
              }
              if (json) {
                out().println(Output.Json.COMPACT.writeValueAsString(Views.outcome(r)));
              } else {
                out()
                    .printf(
                        "%-7d %-10s %7dms  %s%n",
                        r.index(), r.state(), r.durationMs(), Output.clean(Views.resultText(r)));
              }
              out().flush();
            });
      }
      return bad.get() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
