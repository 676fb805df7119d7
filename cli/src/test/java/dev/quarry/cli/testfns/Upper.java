package dev.quarry.cli.testfns;

import java.util.function.Function;

/** A jar function for {@code quarry functions register}: upper-cases a JSON string. */
public final class Upper implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    return String.valueOf(input).toUpperCase(java.util.Locale.ROOT);
  }
}
