package com.example;

import java.util.function.Function;

/** A function registered by name over REST (the README's curl example): upper-cases a string. */
public class Upper implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    if (!(input instanceof String s)) {
      throw new IllegalArgumentException("expected a string, got " + input);
    }
    return s.toUpperCase(java.util.Locale.ROOT);
  }
}
