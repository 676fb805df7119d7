package dev.quarry.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The futures of a {@link FunctionExecutor#mapReduce}: one per map input (or data range), and the
 * reducers' — one, or with {@link MapOptions#reducerPerObject()} one per object of the data.
 *
 * @param reducers the reducers, in the order of {@code objects}
 * @param objects for reducers per object: the object (bucket/key) or URL each reducer reduces;
 *     empty for a single reducer
 */
public record MapReduce<R extends @Nullable Object, S extends @Nullable Object>(
    List<JobFuture<R>> maps, List<JobFuture<S>> reducers, List<String> objects) {
  /**
   * @throws IllegalArgumentException if there is no reducer, or objects are named but not one per
   *     reducer
   */
  public MapReduce {
    maps = List.copyOf(maps);
    reducers = List.copyOf(reducers);
    objects = List.copyOf(objects);
    if (reducers.isEmpty()) {
      throw new IllegalArgumentException("a map-reduce has at least one reducer");
    }
    if (!objects.isEmpty() && objects.size() != reducers.size()) {
      throw new IllegalArgumentException(
          objects.size() + " objects named for " + reducers.size() + " reducers");
    }
  }

  /** A map-reduce with one reducer over all maps. */
  public MapReduce(List<JobFuture<R>> maps, JobFuture<S> reducer) {
    this(maps, List.of(reducer), List.of());
  }

  /** The reducer: the only one, or the first object's with reducers per object. */
  public JobFuture<S> reducer() {
    return reducers.getFirst();
  }
}
