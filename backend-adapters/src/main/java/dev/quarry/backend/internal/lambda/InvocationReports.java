package dev.quarry.backend.internal.lambda;

import dev.quarry.proto.v1.PlatformReport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads Lambda's {@code REPORT} line from the base64 log tail of an invoke ({@code LogType=Tail}):
 * duration, billed duration, memory size and used, and {@code Init Duration}, present only when the
 * invocation started a new instance.
 */
final class InvocationReports {
  private static final Pattern REPORT = Pattern.compile("REPORT RequestId:[^\\n]*");
  private static final Pattern FIELD =
      Pattern.compile(
          "(Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration): ([0-9.]+)");

  private InvocationReports() {}

  /** The report in {@code logResult}, or an empty report when there is none. */
  static PlatformReport parse(@Nullable String logResult) {
    PlatformReport.Builder report = PlatformReport.newBuilder();
    if (logResult == null || logResult.isEmpty()) {
      return report.build();
    }
    String log;
    try {
      log = new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return report.build();
    }
    Matcher line = REPORT.matcher(log);
    String last = null;
    while (line.find()) {
      last = line.group();
    }
    if (last == null) {
      return report.build();
    }
    Matcher f = FIELD.matcher(last);
    while (f.find()) {
      double value = Double.parseDouble(f.group(2));
      switch (f.group(1)) {
        case "Duration" -> report.setDurationMs(value);
        case "Billed Duration" -> report.setBilledDurationMs((long) value);
        case "Memory Size" -> report.setMemorySizeMb((int) value);
        case "Max Memory Used" -> report.setMaxMemoryUsedMb((int) value);
        case "Init Duration" -> report.setInitDurationMs(value).setColdStart(true);
        default -> {}
      }
    }
    return report.build();
  }
}
