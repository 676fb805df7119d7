package dev.quarry.client.internal;

import dev.quarry.client.ContextFunction;
import dev.quarry.client.DataChunk;
import dev.quarry.client.SerializableFunction;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * What is shipped for a {@link ContextFunction}: a serializable {@link BiFunction}, which the
 * worker calls with the input and its context bridge (it cannot also be a {@link
 * java.util.function.Function}: the two interfaces' {@code andThen} clash). With {@code chunks},
 * the input is the server's description of a byte range of a stored object (a map of JDK values)
 * and the function receives a {@link DataChunk}.
 */
public final class ContextAdapter
    implements BiFunction<@Nullable Object, Object, @Nullable Object>, java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final ContextFunction<@Nullable Object, @Nullable Object> function;
  private final boolean chunks;

  @SuppressWarnings("unchecked")
  private ContextAdapter(ContextFunction<?, ?> function, boolean chunks) {
    this.function =
        (ContextFunction<@Nullable Object, @Nullable Object>)
            Objects.requireNonNull(function, "function");
    this.chunks = chunks;
  }

  /** A context function over plain inputs. */
  public static ContextAdapter of(ContextFunction<?, ?> function) {
    return new ContextAdapter(function, false);
  }

  /** A context function over {@link DataChunk}s. */
  public static ContextAdapter ofChunks(ContextFunction<DataChunk, ?> function) {
    return new ContextAdapter(function, true);
  }

  /** A plain function over {@link DataChunk}s. */
  public static <R extends @Nullable Object> ContextAdapter ofChunks(
      SerializableFunction<DataChunk, R> function) {
    Objects.requireNonNull(function, "function");
    return new ContextAdapter(
        (ContextFunction<DataChunk, R>) (chunk, ctx) -> function.apply(chunk), true);
  }

  /** The user's function (whose class loader resolves result classes). */
  public Object function() {
    return function;
  }

  @Override
  public @Nullable Object apply(@Nullable Object input, Object bridge) {
    BridgedContext context = new BridgedContext(bridge);
    Object argument = chunks ? chunk(input, context) : input;
    try {
      return function.apply(argument, context);
    } catch (Exception e) {
      throw ContextAdapter.<RuntimeException>sneaky(e);
    }
  }

  private static DataChunk chunk(@Nullable Object input, BridgedContext context) {
    if (!(input instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "a map over stored data got an input that is not a range description: "
              + (input == null ? "null" : input.getClass().getName()));
    }
    @Nullable String url = m.get("url") instanceof String u ? u : null;
    return new DataChunk(
        url != null ? "" : (String) m.get("bucket"),
        url != null ? url : (String) m.get("key"),
        ((Number) m.get("start")).longValue(),
        ((Number) m.get("end")).longValue(),
        ((Number) m.get("size")).longValue(),
        (String) m.get("etag"),
        ((Number) m.get("part")).intValue(),
        context,
        url != null ? java.net.URI.create(url) : null,
        Boolean.TRUE.equals(m.get("privateAllowed")));
  }

  /** Rethrows the function's own exception as it is, so the future fails with its type. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
