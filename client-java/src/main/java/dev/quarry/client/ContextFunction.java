package dev.quarry.client;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A function that also receives a {@link FunctionContext}: through it the function reads and writes
 * its team's stored objects (the Storage API's buckets), as Lithops passes {@code storage} to a
 * function.
 *
 * <pre>{@code
 * var futures = fexec.map(
 *     (String key, FunctionContext ctx) -> ctx.storage().getObjectAsString("my-bucket", key).length(),
 *     List.of("a.txt", "b.txt"));
 * }</pre>
 *
 * <p>The function reaches only its own team's buckets, never another team's objects nor the
 * server's own (jobs, bundles), and only while its future runs. Like {@link SerializableFunction}
 * it is shipped by Java serialization, so everything it captures must be serializable.
 *
 * @param <T> the input type (must be serializable)
 * @param <R> the result type (must be serializable)
 */
@FunctionalInterface
public interface ContextFunction<T extends @Nullable Object, R extends @Nullable Object>
    extends Serializable {

  /**
   * @throws Exception anything; the future fails with it (type, message and stack trace)
   */
  R apply(T input, FunctionContext context) throws Exception;
}
