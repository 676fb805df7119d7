package dev.quarry.lambda.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * How an invocation ended.
 *
 * @param payload the response payload, or the error JSON for any other kind
 * @param errorType the error type for a non-success outcome
 * @param atNanos {@link System#nanoTime()} when it ended
 * @param logLines extra lines for the invocation log (timeout and crash messages)
 */
record InvocationOutcome(
    Kind kind, byte[] payload, @Nullable String errorType, long atNanos, String logLines) {

  enum Kind {
    SUCCESS,
    /** The handler or the initialisation reported an error. */
    FUNCTION_ERROR,
    TIMEOUT,
    CRASH
  }

  boolean isError() {
    return kind != Kind.SUCCESS;
  }

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static InvocationOutcome success(byte[] payload) {
    return new InvocationOutcome(Kind.SUCCESS, payload, null, System.nanoTime(), "");
  }

  static InvocationOutcome functionError(byte[] errorJson, String errorType) {
    return new InvocationOutcome(Kind.FUNCTION_ERROR, errorJson, errorType, System.nanoTime(), "");
  }

  static InvocationOutcome timeout(String requestId, int timeoutSeconds) {
    String message =
        TIMESTAMP.format(Instant.now())
            + " "
            + requestId
            + " Task timed out after "
            + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds)
            + " seconds";
    return new InvocationOutcome(
        Kind.TIMEOUT,
        errorJson("Sandbox.Timedout", message),
        "Sandbox.Timedout",
        System.nanoTime(),
        message + "\n");
  }

  /**
   * @param exit how the runtime process ended, e.g. {@code exit status 3} or {@code signal: killed}
   */
  static InvocationOutcome crash(String requestId, String exit) {
    String message = "RequestId: " + requestId + " Error: Runtime exited with error: " + exit;
    return new InvocationOutcome(
        Kind.CRASH,
        errorJson("Runtime.ExitError", message),
        "Runtime.ExitError",
        System.nanoTime(),
        message + "\nRuntime.ExitError\n");
  }

  static byte[] errorJson(String errorType, String errorMessage) {
    ObjectNode node = Json.object();
    node.put("errorType", errorType);
    node.put("errorMessage", errorMessage);
    return Json.bytes(node);
  }

  @Override
  public String toString() {
    return kind
        + (errorType == null ? "" : " " + errorType)
        + " "
        + new String(payload, StandardCharsets.UTF_8);
  }
}
