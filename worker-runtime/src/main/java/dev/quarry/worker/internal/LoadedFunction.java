package dev.quarry.worker.internal;

import dev.quarry.proto.v1.Codec;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A function ready to run.
 *
 * @param loader class loader of the function's code, used to decode inputs and as the thread
 *     context class loader while it runs
 * @param codec codec used when the envelope does not name one
 */
public record LoadedFunction(
    Function<@Nullable Object, @Nullable Object> function, ClassLoader loader, Codec codec) {}
