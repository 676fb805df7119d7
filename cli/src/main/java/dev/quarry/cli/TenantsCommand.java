package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
      try (QuarryAdmin a = admin()) {
        List<QuarryAdmin.Tenant> ts = a.listTenants();
        output().print(ts, HEADERS, ts.stream().map(TenantsCommand::row).toList());
      }
      return ExitCodes.OK;
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
      try (QuarryAdmin a = admin()) {
        QuarryAdmin.WithSecret<QuarryAdmin.Tenant> t = a.createTenant(id, name);
        if (output().json()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("tenant", t.value());
          m.put("adminKeySecret", t.secret());
          output().print(m, List.of(), List.of());
        } else {
          Output.table(out(), HEADERS, List.of(row(t.value())));
          out().println("admin key (shown only now): " + t.secret());
        }
      }
      return ExitCodes.OK;
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
      try (QuarryAdmin a = admin()) {
        QuarryAdmin.Tenant t = a.disableTenant(id);
        output().print(t, HEADERS, List.of(row(t)));
      }
      return ExitCodes.OK;
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
