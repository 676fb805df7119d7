package dev.quarry.lambda.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** The execution log of one invocation, as Lambda writes it and returns it for {@code Tail}. */
final class InvocationLog {

  /** Lambda returns the last 4 KB of the log. */
  static final int TAIL_BYTES = 4096;

  private InvocationLog() {}

  static String render(String requestId, RunResult r, int memoryMb) {
    StringBuilder b = new StringBuilder(256);
    b.append("START RequestId: ").append(requestId).append(" Version: $LATEST\n");
    for (String line : r.output()) {
      b.append(line).append('\n');
    }
    b.append(r.outcome().logLines());
    b.append("END RequestId: ").append(requestId).append('\n');
    double ms = r.durationNanos() / 1e6;
    b.append("REPORT RequestId: ").append(requestId);
    b.append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", ms)).append(" ms");
    b.append("\tBilled Duration: ").append((long) Math.ceil(ms)).append(" ms");
    b.append("\tMemory Size: ").append(memoryMb).append(" MB");
    b.append("\tMax Memory Used: ").append(r.maxMemoryUsedMb()).append(" MB\t");
    if (r.initNanos() >= 0) {
      b.append("Init Duration: ")
          .append(String.format(Locale.ROOT, "%.2f", r.initNanos() / 1e6))
          .append(" ms\t");
    }
    switch (r.outcome().kind()) {
      case TIMEOUT -> b.append("Status: timeout\t");
      case CRASH -> b.append("Status: error\tError Type: Runtime.ExitError\t");
      default -> {}
    }
    b.append('\n');
    return b.toString();
  }

  /** Base64 of the last {@value #TAIL_BYTES} bytes of {@code log}: {@code X-Amz-Log-Result}. */
  static String tail(String log) {
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > TAIL_BYTES) {
      bytes = Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }
}
