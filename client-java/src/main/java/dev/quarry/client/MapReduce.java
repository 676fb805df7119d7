package dev.quarry.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The futures of a {@link FunctionExecutor#mapReduce}: one per map input (or data range), and the
 * reducer's.
 */
public record MapReduce<R extends @Nullable Object, S extends @Nullable Object>(
    List<JobFuture<R>> maps, JobFuture<S> reducer) {
  public MapReduce {
    maps = List.copyOf(maps);
  }
}
