package dev.quarry.server.testfns;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** A function registered by name in the REST tests: upper-cases strings, rejects the rest. */
public class Upper implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    if (input instanceof String s) {
      return Map.of("upper", s.toUpperCase(Locale.ROOT), "length", s.length());
    }
    throw new IllegalArgumentException("expected a string, got " + input);
  }
}
