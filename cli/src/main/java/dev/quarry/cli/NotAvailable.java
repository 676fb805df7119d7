package dev.quarry.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

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

  @Command(
      name = "storage",
      mixinStandardHelpOptions = true,
      description = "put|get|ls|rm|cp objects in the team's storage (not available yet).")
  static final class Storage extends Cmd {
    @Parameters(arity = "0..*", hidden = true)
    List<String> args = List.of();

    @Unmatched List<String> rest = List.of();

    @Override
    int run() {
      err()
          .println(
              "quarry storage: not available yet: the server has no Storage API."
                  + "\n  Java programs can use QuarryStorage once it exists; until then use your storage's"
                  + " own tools.");
      return ExitCodes.NOT_AVAILABLE;
    }
  }
}
