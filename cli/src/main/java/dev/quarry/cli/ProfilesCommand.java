package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry profiles list|put|delete}. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = "Backend profiles jobs run on (list: member key; put, delete: admin key).",
    subcommands = {
      ProfilesCommand.ListProfiles.class,
      ProfilesCommand.Put.class,
      ProfilesCommand.Delete.class
    })
final class ProfilesCommand extends AdminCmd {
  static final List<String> HEADERS =
      List.of("NAME", "BACKEND", "CREDENTIAL", "SETTINGS", "UPDATED");

  @Override
  int run() {
    return usage();
  }

  static List<String> row(QuarryAdmin.Profile p) {
    return List.of(
        p.name(),
        p.backend(),
        p.credential(),
        new TreeMap<>(p.settings()).toString(),
        time(p.updatedAt()));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The team's profiles.")
  static final class ListProfiles extends AdminCmd {
    @Override
    int run() {
      return printList(QuarryAdmin::listProfiles, HEADERS, ProfilesCommand::row);
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or replace a profile.")
  static final class Put extends AdminCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--backend", required = true, description = "e.g. local, lambda.")
    String backend;

    @Option(
        names = "--setting",
        paramLabel = "KEY=VALUE",
        description = "A backend setting (repeatable; not for secrets).")
    Map<String, String> settings = Map.of();

    @Option(names = "--credential", paramLabel = "NAME", description = "The credential it uses.")
    @Nullable String credential;

    @Override
    int run() {
      return printOne(
          a -> a.putProfile(name, backend, settings, credential), HEADERS, ProfilesCommand::row);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a profile.")
  static final class Delete extends AdminCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      return printOne(a -> a.deleteProfile(name), HEADERS, ProfilesCommand::row);
    }
  }
}
