package dev.quarry.cli;

import dev.quarry.client.QuarryJobs;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quarry logs JOB INDEX}: what one future printed. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "What a job's future printed to stdout and stderr in its latest attempt (at most 1 MiB, then"
          + " a '...[truncated N bytes]' line); nothing when it printed nothing.",
      "With --output json: {\"job\", \"index\", \"log\"}. An unknown job or index exits with 5."
    })
final class LogsCommand extends Cmd {
  @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
  String job;

  @Parameters(index = "1", paramLabel = "INDEX", description = "A future's input index, from 0.")
  int index;

  @Override
  int run() {
    try (QuarryJobs jobs = jobs()) {
      String log = jobs.logs(job, index);
      if (output().json()) {
        output().print(new LogView(job, index, log), List.of(), List.of());
      } else {
        out().print(log);
        out().flush();
      }
    }
    return ExitCodes.OK;
  }

  /** The JSON form of a future's log. */
  record LogView(String job, int index, String log) {}
}
