package dev.quarry.backend.local.samples;

import java.io.Serializable;
import java.util.function.Function;

/** A serializable lambda for worker JVMs; only JDK types, so it loads from a jar alone. */
public final class Lambdas {
  private Lambdas() {}

  public static Function<Object, Object> times(int factor) {
    return (Function<Object, Object> & Serializable) x -> (Integer) x * factor;
  }
}
