package dev.quarry.worker.internal;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.ObjectInputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds a {@link LoadedFunction} from a {@link FunctionSpec}. */
public final class FunctionLoader {
  private final JarCache jars;

  public FunctionLoader(JarCache jars) {
    this.jars = jars;
  }

  /**
   * Loads the function described by {@code spec}.
   *
   * @throws ClassNotFoundException if the builtin or entry class does not exist
   * @throws ClassCastException if the object or class is not a {@link Function}
   * @throws FileNotFoundException if a jar or the payload is missing from storage
   * @throws Exception anything the user's constructor or deserialization throws
   */
  public LoadedFunction load(FunctionSpec spec, ObjectStore store) throws Exception {
    return switch (spec.getKind()) {
      case FUNCTION_KIND_BUILTIN -> builtin(spec.getName());
      case FUNCTION_KIND_JAR_ENTRY -> jarEntry(spec, store);
      case FUNCTION_KIND_SERIALIZED -> serialized(spec, store);
      case FUNCTION_KIND_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("function kind not supported: " + spec.getKind());
    };
  }

  private static LoadedFunction builtin(String name) throws ClassNotFoundException {
    Function<@Nullable Object, @Nullable Object> function =
        BuiltinRegistry.find(name)
            .orElseThrow(
                () ->
                    new ClassNotFoundException(
                        "unknown builtin function '"
                            + name
                            + "'; builtins: "
                            + BuiltinRegistry.names()));
    return new LoadedFunction(function, FunctionLoader.class.getClassLoader(), Codec.CODEC_JSON);
  }

  private LoadedFunction jarEntry(FunctionSpec spec, ObjectStore store) throws Exception {
    String className = spec.getEntryClass().isEmpty() ? spec.getName() : spec.getEntryClass();
    ClassLoader loader = jars.loaderFor(spec.getJarKeysList(), store);
    Class<?> type = Class.forName(className, true, loader);
    if (!Function.class.isAssignableFrom(type)) {
      throw new ClassCastException(
          "entry class " + className + " does not implement java.util.function.Function");
    }
    Object instance;
    try {
      instance = type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    return new LoadedFunction(asFunction(instance), loader, Codec.CODEC_JSON);
  }

  private LoadedFunction serialized(FunctionSpec spec, ObjectStore store) throws Exception {
    ClassLoader loader = jars.loaderFor(spec.getJarKeysList(), store);
    String key = spec.getPayloadKey();
    byte[] payload =
        store
            .read(key)
            .orElseThrow(
                () -> new FileNotFoundException("function payload not found in storage: " + key));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(payload), loader)) {
      Object instance = in.readObject();
      if (instance instanceof BiFunction<?, ?, ?> withContext
          && !(instance instanceof Function<?, ?>)) {
        return LoadedFunction.withContext(asBiFunction(withContext), loader, Codec.CODEC_JAVA);
      }
      if (!(instance instanceof Function<?, ?>)) {
        throw new ClassCastException(
            "serialized function is a "
                + (instance == null ? "null" : instance.getClass().getName())
                + ", not a java.util.function.Function");
      }
      return new LoadedFunction(asFunction(instance), loader, Codec.CODEC_JAVA);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @SuppressWarnings("unchecked")
  private static BiFunction<@Nullable Object, Object, @Nullable Object> asBiFunction(
      Object instance) {
    return (BiFunction<@Nullable Object, Object, @Nullable Object>) instance;
  }

  @SuppressWarnings("unchecked")
  private static Function<@Nullable Object, @Nullable Object> asFunction(Object instance) {
    return (Function<@Nullable Object, @Nullable Object>) instance;
  }
}
