package dev.quarry.worker.internal;

import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StackFrame;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/** Maps throwables to {@link RemoteError} protos. */
public final class RemoteErrors {
  /** Cap of {@code stack_trace_text}, in characters. */
  static final int MAX_TRACE_CHARS = 64 * 1024;

  /** Cap of structured frames; deep recursion would otherwise produce huge messages. */
  static final int MAX_FRAMES = 256;

  private static final String TRUNCATED = "\n\t... (truncated)";

  private RemoteErrors() {}

  /**
   * Describes {@code error}: its class name, message, top-level frames and the full trace text
   * including causes.
   */
  public static RemoteError of(Throwable error, boolean functionError) {
    RemoteError.Builder builder =
        RemoteError.newBuilder()
            .setType(error.getClass().getName())
            .setMessage(Objects.requireNonNullElse(error.getMessage(), ""))
            .setStackTraceText(traceText(error))
            .setFunctionError(functionError);
    StackTraceElement[] frames = error.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
      builder.addStack(frame(frames[i]));
    }
    return builder.build();
  }

  /** A platform error without a throwable, e.g. a deadline that passed. */
  public static RemoteError platform(String type, String message) {
    return RemoteError.newBuilder()
        .setType(type)
        .setMessage(message)
        .setStackTraceText(type + ": " + message)
        .setFunctionError(false)
        .build();
  }

  private static StackFrame frame(StackTraceElement element) {
    return StackFrame.newBuilder()
        .setClassName(element.getClassName())
        .setMethodName(element.getMethodName())
        .setFileName(Objects.requireNonNullElse(element.getFileName(), ""))
        .setLineNumber(element.getLineNumber())
        .build();
  }

  private static String traceText(Throwable error) {
    StringWriter text = new StringWriter();
    try (PrintWriter writer = new PrintWriter(text)) {
      error.printStackTrace(writer);
    }
    if (text.getBuffer().length() <= MAX_TRACE_CHARS) {
      return text.toString();
    }
    return text.getBuffer().substring(0, MAX_TRACE_CHARS - TRUNCATED.length()) + TRUNCATED;
  }
}
