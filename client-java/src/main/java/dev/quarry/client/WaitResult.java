package dev.quarry.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The futures that were done and those that were not when {@link FunctionExecutor#waitFor}
 * returned, each list in the order of the futures passed in.
 *
 * @param done futures that completed (successfully, exceptionally or by cancellation)
 * @param notDone futures still pending
 * @param <R> the result type
 */
public record WaitResult<R extends @Nullable Object>(
    List<JobFuture<R>> done, List<JobFuture<R>> notDone) {

  /**
   * Copies both lists.
   *
   * @throws NullPointerException if a list or an element is null
   */
  public WaitResult {
    done = List.copyOf(done);
    notDone = List.copyOf(notDone);
  }

  /** Whether no future is pending. */
  public boolean allDone() {
    return notDone.isEmpty();
  }
}
