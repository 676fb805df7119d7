package dev.quarry.cli;

import dev.quarry.client.JobInfo;
import dev.quarry.client.QuarryJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quarry jobs watch JOB}. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Show a job's progress (pending, running, done, failed, rate, ETA) until it ends:"
          + " a live bar when stderr is a terminal, a line per second otherwise.",
      "Exits with 0 if every future succeeded, 1 if the job failed or was cancelled."
    })
final class WatchCommand extends Cmd {
  @Parameters(paramLabel = "JOB", description = "The job id.")
  String id;

  @Override
  int run() {
    JobInfo last;
    try (QuarryJobs jobs = jobs();
        ProgressView view = ProgressView.open(env(), id)) {
      last = jobs.watch(id, view::update);
      view.finish(last);
    }
    return end(last, env());
  }

  /** Prints how the job ended; the exit code that says so. */
  static int end(JobInfo job, Env env) {
    String line =
        "job "
            + job.id()
            + " "
            + job.state()
            + ": "
            + job.succeeded()
            + " succeeded, "
            + job.failed()
            + " failed, "
            + job.cancelled()
            + " cancelled of "
            + job.total()
            + (job.message().isEmpty() ? "" : " (" + Output.clean(job.message()) + ")");
    env.err().println(line);
    env.err().flush();
    return job.state() == JobInfo.State.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
