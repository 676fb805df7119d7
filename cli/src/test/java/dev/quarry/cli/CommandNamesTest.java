package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** A run builds only the top-level command its command line names. */
class CommandNamesTest {
  private static final CommandSpec ROOT = new CommandLine(new QuarryCli(null)).getCommandSpec();

  @Test
  void everyTopLevelCommandIsListedUnderItsOwnName() {
    QuarryCli.COMMANDS.forEach(
        (name, command) ->
            assertThat(command.getAnnotation(Command.class).name()).as(name).isEqualTo(name));
  }

  @Test
  void theNamedCommandIsFoundPastGlobalOptionsAndTheirValues() {
    assertThat(QuarryCli.commandName(ROOT, "jobs", "list")).isEqualTo("jobs");
    assertThat(QuarryCli.commandName(ROOT, "--server", "jobs", "runtimes", "list"))
        .isEqualTo("runtimes");
    assertThat(QuarryCli.commandName(ROOT, "-o", "json", "--key=x", "keys", "list"))
        .isEqualTo("keys");
    assertThat(QuarryCli.commandName(ROOT, "--help")).isNull();
    assertThat(QuarryCli.commandName(ROOT)).isNull();
    assertThat(QuarryCli.commandName(ROOT, "no-such-command")).isNull();
    assertThat(QuarryCli.commandName(ROOT, "generate-completion")).isNull();
  }

  @Test
  void helpStillListsEveryCommand() {
    Cli.Result help = new Cli(java.nio.file.Path.of("/nonexistent")).run("--help");
    for (String name : QuarryCli.COMMANDS.keySet()) {
      assertThat(help.out()).contains("  " + name);
    }
  }
}
