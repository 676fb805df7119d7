package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry keys list|create|revoke} and {@code quarry audit} (team admins). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "The team's API keys (admin key).",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Create.class, KeysCommand.Revoke.class})
final class KeysCommand extends AdminCmd {
  static final List<String> HEADERS =
      List.of("ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "REVOKED");

  @Override
  int run() {
    return usage();
  }

  static List<String> row(QuarryAdmin.ApiKey k) {
    return List.of(
        k.id(),
        k.name(),
        k.role(),
        k.prefix(),
        time(k.createdAt()),
        time(k.lastUsedAt()),
        time(k.revokedAt()));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys (never their secrets).")
  static final class ListKeys extends AdminCmd {
    @Override
    int run() {
      return printList(QuarryAdmin::listKeys, HEADERS, KeysCommand::row);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a key; its secret is printed once, on stdout, and cannot be shown again.")
  static final class Create extends AdminCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--role", required = true, paramLabel = "admin|member|viewer")
    String role;

    @Override
    int run() {
      return printWithSecret(
          a -> a.createKey(name, role), HEADERS, KeysCommand::row, "key", "secret", "secret");
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
  static final class Revoke extends AdminCmd {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run() {
      return printOne(a -> a.revokeKey(id), HEADERS, KeysCommand::row);
    }
  }

  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      description = "The team's audit log, newest first (admin key).")
  static final class Audit extends AdminCmd {
    @Mixin LimitOption limit = new LimitOption(50);

    @Override
    int run() {
      try (QuarryAdmin a = admin()) {
        List<QuarryAdmin.AuditEvent> events = a.audit(limit.value());
        output()
            .print(
                events,
                List.of("AT", "ACTOR", "ACTION", "TARGET"),
                events.stream()
                    .map(e -> List.of(time(e.at()), e.actor(), e.action(), e.target()))
                    .toList());
      }
      return ExitCodes.OK;
    }
  }
}
