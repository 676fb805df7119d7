package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
}
