package com.example;

import java.util.function.Function;

/**
 * A function registered by name over REST (the README's curl example): upper-cases a string, and
 * prints what it got (the example reads it back as the future's output).
 */
public class Upper implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    if (!(input instanceof String s)) {
      throw new IllegalArgumentException("expected a string, got " + input);
    }
    System.out.println("upper " + s);
    return s.toUpperCase(java.util.Locale.ROOT);
  }
}
