package dev.quarry.worker;

import dev.quarry.worker.internal.BuiltinRegistry;
import java.util.Set;

/**
 * The functions every worker ships with, invoked with {@code FunctionKind.FUNCTION_KIND_BUILTIN}
 * and the JSON codec:
 *
 * <ul>
 *   <li>{@code echo}: returns its input;
 *   <li>{@code sleep}: input {@code n} or {@code {"ms": n, "value": x}}; sleeps {@code n} ms and
 *       returns {@code n} or {@code x};
 *   <li>{@code checksum}: lowercase hex SHA-256 of the input's canonical JSON (sorted keys, no
 *       whitespace);
 *   <li>{@code fail}: throws {@link IllegalArgumentException} with the input as message;
 *   <li>{@code noop}: returns null.
 * </ul>
 */
public final class Builtins {
  private Builtins() {}

  /** The builtin names, sorted. */
  public static Set<String> names() {
    return BuiltinRegistry.names();
  }
}
