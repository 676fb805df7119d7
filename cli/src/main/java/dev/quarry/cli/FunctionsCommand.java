package dev.quarry.cli;

import dev.quarry.client.FunctionSummary;
import dev.quarry.client.QuarryJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry functions list|register}. */
@Command(
    name = "functions",
    mixinStandardHelpOptions = true,
    description = "List and register functions.",
    subcommands = {FunctionsCommand.ListFunctions.class, FunctionsCommand.Register.class})
final class FunctionsCommand extends Cmd {
  static final List<String> HEADERS = List.of("NAME", "KIND", "CODEC", "ENTRY CLASS", "ID");

  @Override
  int run() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  static List<String> row(FunctionSummary f) {
    return List.of(f.name(), f.kind(), f.codec(), f.entryClass(), f.id());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The team's functions and the builtins.")
  static final class ListFunctions extends Cmd {
    @Override
    int run() {
      try (QuarryJobs jobs = jobs()) {
        List<FunctionSummary> fs = jobs.functions();
        output().print(fs, HEADERS, fs.stream().map(FunctionsCommand::row).toList());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Register a java.util.function.Function class from jars under a name"
              + " (JSON in, JSON out); uploads only the jars the server lacks.")
  static final class Register extends Cmd {
    @Parameters(index = "0", paramLabel = "NAME", description = "The function's name.")
    String name;

    @Option(
        names = "--entry",
        required = true,
        paramLabel = "CLASS",
        description = "The class implementing java.util.function.Function.")
    String entryClass;

    @Option(
        names = "--jar",
        required = true,
        paramLabel = "JAR",
        description = "A jar it needs (repeatable).")
    List<Path> jars;

    @Override
    int run() {
      for (Path jar : jars) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalArgumentException("--jar: no such file: " + jar);
        }
      }
      try (QuarryJobs jobs = jobs()) {
        FunctionSummary f = jobs.registerJar(name, entryClass, jars);
        output().print(f, HEADERS, List.of(row(f)));
      }
      return ExitCodes.OK;
    }
  }
}
