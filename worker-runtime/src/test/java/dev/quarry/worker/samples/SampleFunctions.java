package dev.quarry.worker.samples;

import java.io.Serializable;
import java.util.function.Function;

/**
 * Serializable lambdas shipped to the worker in a jar built from this package. Only JDK types are
 * referenced so the class loads in a loader whose parent is the platform loader.
 */
public final class SampleFunctions {
  private SampleFunctions() {}

  /**
   * A context function (as the client's adapter): reads {@code docs/<input>} through the bridge.
   */
  @SuppressWarnings("unchecked")
  public static java.util.function.BiFunction<Object, Object, Object> readsObject() {
    return (java.util.function.BiFunction<Object, Object, Object> & Serializable)
        (key, bridge) -> {
          Object[] part =
              (Object[])
                  ((java.util.function.BiFunction<String, Object[], Object>) bridge)
                      .apply("read", new Object[] {"docs", key, 0L, 100});
          return part == null ? "missing" : new String((byte[]) part[2]);
        };
  }

  public static Function<Object, Object> square() {
    return (Function<Object, Object> & Serializable) x -> (Integer) x * (Integer) x;
  }

  public static Function<Object, Object> prefix(String prefix) {
    return (Function<Object, Object> & Serializable) x -> prefix + x;
  }

  public static Function<Object, Object> loaderName() {
    return (Function<Object, Object> & Serializable)
        x -> SampleFunctions.class.getClassLoader().getName();
  }

  public static Function<Object, Object> unserializableResult() {
    return (Function<Object, Object> & Serializable) x -> new Object();
  }

  public static Function<Object, Object> printing() {
    return (Function<Object, Object> & Serializable)
        x -> {
          System.out.println("out " + x);
          System.err.println("err " + x);
          return x;
        };
  }
}
