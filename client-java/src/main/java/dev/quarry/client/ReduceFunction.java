package dev.quarry.client;

import java.io.Serializable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The reducer of {@link FunctionExecutor#mapReduce}: it runs remotely and receives every map result
 * as a stream, in input order, each one as soon as its map is done.
 *
 * <pre>{@code
 * ReduceFunction<Long, Long> sum = results -> results.mapToLong(Long::longValue).sum();
 * }</pre>
 *
 * @param <R> the map results' type
 * @param <S> the reduced result's type (must be serializable)
 */
@FunctionalInterface
public interface ReduceFunction<R extends @Nullable Object, S extends @Nullable Object>
    extends Serializable {
  /**
   * @throws Exception anything; the reducer's future fails with it
   */
  S reduce(Stream<R> results) throws Exception;
}
