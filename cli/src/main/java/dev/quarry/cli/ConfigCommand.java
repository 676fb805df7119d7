package dev.quarry.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code quarry config show}. */
@Command(
    name = "config",
    description = "Show the configuration.",
    mixinStandardHelpOptions = true,
    subcommands = ConfigCommand.Show.class)
final class ConfigCommand extends Cmd {
  @Override
  int run() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print each setting, where it came from (flag, QUARRY_* variable, config file"
              + " or default), with secrets masked. Does not contact the server.")
  static final class Show extends Cmd {
    @Override
    int run() {
      Map<String, String[]> d = settings().describe();
      Map<String, Object> json = new LinkedHashMap<>();
      List<List<String>> rows = new ArrayList<>();
      d.forEach(
          (k, v) -> {
            json.put(k, Map.of("value", v[0], "source", v[1]));
            rows.add(List.of(k, v[0], v[1]));
          });
      output().print(json, List.of("SETTING", "VALUE", "SOURCE"), rows);
      return ExitCodes.OK;
    }
  }
}
