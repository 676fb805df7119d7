package dev.quarry.cli;

import dev.quarry.client.QuarryRuntimes;
import dev.quarry.client.RuntimeInfo;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quarry runtimes list|deploy|update|delete --profile P}. */
@Command(
    name = "runtimes",
    mixinStandardHelpOptions = true,
    description =
        "Worker functions of a serverless profile (list: viewer key; deploy, update, delete: admin key).",
    subcommands = {
      RuntimesCommand.ListRuntimes.class,
      RuntimesCommand.Deploy.class,
      RuntimesCommand.Update.class,
      RuntimesCommand.Delete.class
    })
final class RuntimesCommand extends Cmd {
  static final List<String> HEADERS =
      List.of("NAME", "CURRENT", "MEMORY", "TIMEOUT", "STATE", "CHANGE");

  @Override
  int run() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  abstract static class RuntimeCmd extends Cmd {
    String profile() {
      String p = settings().profile();
      if (p == null) {
        throw new IllegalArgumentException(
            "which profile? Give --profile NAME (or set $QUARRY_PROFILE)");
      }
      return p;
    }

    QuarryRuntimes runtimes() {
      return QuarryRuntimes.connect(settings().config(), settings().options());
    }

    void print(List<RuntimeInfo> rs) {
      output()
          .print(
              rs,
              HEADERS,
              rs.stream()
                  .map(
                      r ->
                          List.of(
                              r.name(),
                              Boolean.toString(r.current()),
                              r.memoryMb() + " MB",
                              r.timeoutSeconds() + " s",
                              r.state(),
                              r.change()))
                  .toList());
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The profile's worker functions.")
  static final class ListRuntimes extends RuntimeCmd {
    @Override
    int run() {
      try (QuarryRuntimes r = runtimes()) {
        print(r.list(profile()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = "Deploy the profile's worker function if needed.")
  static final class Deploy extends RuntimeCmd {
    @Override
    int run() {
      try (QuarryRuntimes r = runtimes()) {
        print(List.of(r.deploy(profile())));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Push the server's worker code to a function.")
  static final class Update extends RuntimeCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      try (QuarryRuntimes r = runtimes()) {
        print(List.of(r.update(profile(), name)));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a worker function.")
  static final class Delete extends RuntimeCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      try (QuarryRuntimes r = runtimes()) {
        print(List.of(r.delete(profile(), name)));
      }
      return ExitCodes.OK;
    }
  }
}
