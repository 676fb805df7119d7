package dev.quarry.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a command may touch of the outside world: its streams, environment variables, system
 * properties, whether stdout/stderr are terminals, and the clock. {@link QuarryCli#main} passes the
 * real ones; tests pass their own.
 *
 * @param out standard output (data)
 * @param err standard error (messages, progress)
 * @param in standard input ({@code --inputs -})
 * @param env environment variables
 * @param props system properties ({@code user.home}, {@code quarry.config})
 * @param terminal whether stderr is an interactive terminal (progress bars)
 * @param clock for rates, ETAs and round-trip times
 */
public record Env(
    PrintWriter out,
    PrintWriter err,
    InputStream in,
    Map<String, String> env,
    Function<String, @Nullable String> props,
    boolean terminal,
    Clock clock) {

  /** The process's own streams, environment and properties. */
  static Env system() {
    return new Env(
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        System.in,
        System.getenv(),
        System::getProperty,
        System.console() != null && isTerminal(System.console()),
        Clock.systemUTC());
  }

  private static boolean isTerminal(java.io.Console console) {
    // JDK 22+: Console#isTerminal says whether both ends are a terminal; older JDKs return a
    // console only when they are.
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** An environment variable, null when unset or blank. */
  @Nullable String var(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
