package dev.quarry.worker.samples;

import java.util.Locale;
import java.util.function.Function;

/** A jar entry function: upper-cases its input's text and appends "!". */
public final class Shout implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    return String.valueOf(input).toUpperCase(Locale.ROOT) + "!";
  }
}
