package dev.quarry.client;

/**
 * Whether {@link FunctionExecutor#getResult} and {@link FunctionExecutor#waitFor} draw a progress
 * bar of the futures they wait on, on stderr (me.tongfei progressbar).
 */
public enum Progress {
  /** Always draw it. */
  ON,
  /** Never draw it. */
  OFF,
  /** Draw it when stderr is a terminal ({@link java.io.Console#isTerminal()}); the default. */
  AUTO;

  /** Whether a bar is drawn in this JVM. */
  public boolean enabled() {
    return switch (this) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> {
        java.io.Console console = System.console();
        yield console != null && isTerminal(console);
      }
    };
  }

  private static boolean isTerminal(java.io.Console console) {
    // JDK 22+: Console#isTerminal says whether both ends are a terminal (a console is returned
    // even when they are not); older JDKs return a console only when they are.
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
