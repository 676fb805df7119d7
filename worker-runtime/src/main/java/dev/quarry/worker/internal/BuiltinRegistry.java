package dev.quarry.worker.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The functions shipped with the worker runtime, by name. All use the JSON codec. */
public final class BuiltinRegistry {
  private static final Map<String, Function<@Nullable Object, @Nullable Object>> FUNCTIONS =
      Map.of(
          "echo", new EchoFunction(),
          "sleep", new SleepFunction(),
          "checksum", new ChecksumFunction(),
          "fail", new FailFunction(),
          "noop", new NoopFunction());

  private static final Set<String> NAMES =
      Collections.unmodifiableSortedSet(new TreeSet<>(FUNCTIONS.keySet()));

  private BuiltinRegistry() {}

  /** Builtin names, sorted. */
  public static Set<String> names() {
    return NAMES;
  }

  public static Optional<Function<@Nullable Object, @Nullable Object>> find(String name) {
    return Optional.ofNullable(FUNCTIONS.get(name));
  }
}
