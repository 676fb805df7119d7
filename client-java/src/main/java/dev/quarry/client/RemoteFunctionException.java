package dev.quarry.client;

import java.io.Serial;
import java.util.List;

/**
 * The remote function threw, or its invocation failed on the worker (crash, timeout, ...).
 *
 * <p>{@link #getMessage()} is {@code "<remote class>: <remote message>"}, and the stack trace is
 * the remote one, so {@code printStackTrace()} shows where the function failed on the worker. The
 * remote cause chain is in {@link #remoteStackTraceText()}.
 */
public final class RemoteFunctionException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;
  private final String remoteStackTraceText;
  private final boolean functionError;

  /**
   * @param remoteClassName fully qualified class name of the remote exception
   * @param remoteMessage its message (may be empty)
   * @param remoteStackTraceText the remote stack trace with causes, as text (may be empty)
   * @param functionError true when the function itself threw; false for platform failures
   * @param remoteFrames the remote stack frames, innermost first; when empty, the local stack trace
   *     is kept
   * @throws NullPointerException if an argument is null
   */
  public RemoteFunctionException(
      String remoteClassName,
      String remoteMessage,
      String remoteStackTraceText,
      boolean functionError,
      List<StackTraceElement> remoteFrames) {
    super(message(remoteClassName, remoteMessage));
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTraceText = remoteStackTraceText;
    this.functionError = functionError;
    if (!remoteFrames.isEmpty()) {
      setStackTrace(remoteFrames.toArray(StackTraceElement[]::new));
    }
  }

  private static String message(String className, String message) {
    return message.isEmpty() ? className : className + ": " + message;
  }

  /** Fully qualified class name of the exception thrown remotely, e.g. {@code java.lang.Error}. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** The remote exception's message (empty if it had none). */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The remote stack trace including its causes, as printed remotely (may be empty). */
  public String remoteStackTraceText() {
    return remoteStackTraceText;
  }

  /**
   * True when the user's function threw; false when the platform failed the invocation (worker
   * crash, timeout, bad bundle, ...).
   */
  public boolean functionError() {
    return functionError;
  }
}
