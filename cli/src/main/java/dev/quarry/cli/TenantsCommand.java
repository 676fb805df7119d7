package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry tenants list|create|disable} and {@code quarry limits get|set} (operator key). */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description = "Tenants (teams) of the server (operator key).",
    subcommands = {
      TenantsCommand.ListTenants.class,
      TenantsCommand.Create.class,
      TenantsCommand.Disable.class
    })
final class TenantsCommand extends AdminCmd {
  static final List<String> HEADERS = List.of("ID", "NAME", "CREATED", "DISABLED");

  @Override
  int run() {
    return usage();
  }

  static List<String> row(QuarryAdmin.Tenant t) {
    return List.of(t.id(), t.name(), time(t.createdAt()), Boolean.toString(t.disabled()));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every tenant.")
  static final class ListTenants extends AdminCmd {
    @Override
    int run() {
      return printList(QuarryAdmin::listTenants, HEADERS, TenantsCommand::row);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a tenant and its first admin key; the key's secret is printed once.")
  static final class Create extends AdminCmd {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--name", required = true)
    String name;

    @Override
    int run() {
      return printWithSecret(
          a -> a.createTenant(id, name),
          HEADERS,
          TenantsCommand::row,
          "tenant",
          "adminKeySecret",
          "admin key");
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a tenant: its keys stop working.")
  static final class Disable extends AdminCmd {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run() {
      return printOne(a -> a.disableTenant(id), HEADERS, TenantsCommand::row);
    }
  }

  @Command(
      name = "limits",
      mixinStandardHelpOptions = true,
      description = "Show a tenant's limits, or change some (operator key).")
  static final class Limits extends AdminCmd {
    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--set",
        paramLabel = "NAME=VALUE",
        description = "e.g. maxInputsPerJob=5000 (repeatable).")
    Map<String, Integer> set = Map.of();

    @Option(
        names = "--reset",
        paramLabel = "NAME",
        description = "Back to the server default (repeatable).")
    List<String> reset = List.of();

    @Override
    int run() {
      try (QuarryAdmin a = admin()) {
        Map<String, Integer> limits =
            set.isEmpty() && reset.isEmpty() ? a.limits(tenant) : a.setLimits(tenant, set, reset);
        List<List<String>> rows = new ArrayList<>();
        limits.forEach((k, v) -> rows.add(List.of(k, Integer.toString(v))));
        output().print(limits, List.of("LIMIT", "VALUE"), rows);
      }
      return ExitCodes.OK;
    }
  }
}
