package dev.quarry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands whose server API does not exist yet: they say so and exit with 6. */
final class NotAvailable {
  private NotAvailable() {}

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "Logs of a job's futures: JOB [INDEX], or JOB --follow (not available yet).")
  static final class Logs extends Cmd {
    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "INDEX",
        description = "A future's input index.")
    Integer index;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new lines until the job ends.")
    boolean follow;

    @Override
    int run() {
      err()
          .println(
              "quarry logs: not available yet: the server does not keep per-future logs."
                  + "\n  A failed future's error and stack trace are in `quarry jobs results JOB`.");
      return ExitCodes.NOT_AVAILABLE;
    }
  }
}
