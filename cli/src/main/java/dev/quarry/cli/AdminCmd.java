package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/** Base of the admin and operator commands. */
@Command
abstract class AdminCmd extends Cmd {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  QuarryAdmin admin() {
    return QuarryAdmin.connect(settings().config(), settings().options());
  }

  static String time(@Nullable Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  int usage() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  /** Calls the admin API once and prints what it lists, one row of {@code headers} an item. */
  <T> int printList(
      Function<QuarryAdmin, List<T>> call, List<String> headers, Function<T, List<String>> row) {
    try (QuarryAdmin a = admin()) {
      List<T> items = call.apply(a);
      output().print(items, headers, items.stream().map(row).toList());
    }
    return ExitCodes.OK;
  }

  /** Calls the admin API once and prints the one item it returns. */
  <T> int printOne(
      Function<QuarryAdmin, T> call, List<String> headers, Function<T, List<String>> row) {
    try (QuarryAdmin a = admin()) {
      T item = call.apply(a);
      output().print(item, headers, List.of(row.apply(item)));
    }
    return ExitCodes.OK;
  }

  /**
   * Calls the admin API once and prints what it created with its secret, shown only now: as JSON
   * {@code {valueKey: value, secretKey: secret}}, else a table row and {@code "<label> (shown only
   * now): <secret>"}.
   */
  <T> int printWithSecret(
      Function<QuarryAdmin, QuarryAdmin.WithSecret<T>> call,
      List<String> headers,
      Function<T, List<String>> row,
      String valueKey,
      String secretKey,
      String label) {
    try (QuarryAdmin a = admin()) {
      QuarryAdmin.WithSecret<T> created = call.apply(a);
      if (output().json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(valueKey, created.value());
        m.put(secretKey, created.secret());
        output().print(m, List.of(), List.of());
      } else {
        Output.table(out(), headers, List.of(row.apply(created.value())));
        out().println(label + " (shown only now): " + created.secret());
      }
    }
    return ExitCodes.OK;
  }
}
