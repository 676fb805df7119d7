package dev.quarry.worker.internal;

import dev.quarry.proto.v1.Codec;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A function ready to run.
 *
 * @param loader class loader of the function's code, used to decode inputs and as the thread
 *     context class loader while it runs
 * @param codec codec used when the envelope does not name one
 * @param withContext set for a context function (then {@code function} is not called)
 */
public record LoadedFunction(
    Function<@Nullable Object, @Nullable Object> function,
    ClassLoader loader,
    Codec codec,
    @Nullable BiFunction<@Nullable Object, Object, @Nullable Object> withContext) {

  public LoadedFunction(
      Function<@Nullable Object, @Nullable Object> function, ClassLoader loader, Codec codec) {
    this(function, loader, codec, null);
  }

  /**
   * A context function: a {@link BiFunction} called with the input and the worker's {@link
   * ContextBridge}.
   */
  static LoadedFunction withContext(
      BiFunction<@Nullable Object, Object, @Nullable Object> function,
      ClassLoader loader,
      Codec codec) {
    return new LoadedFunction(
        input -> {
          throw new IllegalStateException("a context function needs a context");
        },
        loader,
        codec,
        function);
  }
}
