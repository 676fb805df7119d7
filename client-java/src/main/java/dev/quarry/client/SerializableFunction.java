package dev.quarry.client;

import java.io.Serializable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Function} that is also {@link Serializable}, so it can be shipped to a Quarry worker.
 *
 * <p>A lambda or method reference whose target type is this interface is serializable as long as
 * everything it captures is serializable. An instance of a class implementing this interface works
 * too (its fields must be serializable). The classes the function needs are shipped from the
 * client's classpath.
 *
 * @param <T> the input type (must be serializable)
 * @param <R> the result type (must be serializable)
 */
@FunctionalInterface
public interface SerializableFunction<T extends @Nullable Object, R extends @Nullable Object>
    extends Function<T, R>, Serializable {}
