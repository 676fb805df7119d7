package dev.quarry.client;

import dev.quarry.client.internal.ClientCore;
import dev.quarry.client.internal.TaskHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The result of one input of a job, delivered by the server when the function finishes.
 *
 * <p>{@link #get()} returns the function's result, or throws an {@link ExecutionException} whose
 * cause is a {@link RemoteFunctionException} (the function failed) or a {@link QuarryException}
 * (the client lost the result, e.g. the executor was closed or the server stayed unreachable).
 *
 * <p><b>Cancelling:</b> {@link #cancel(boolean)} cancels this future locally at once. When no
 * future of the same job is left pending afterwards (always the case for the single future of
 * {@link FunctionExecutor#callAsync}), the job is also cancelled on the server, in the background,
 * so it stops running. To cancel a whole job at once use {@link FunctionExecutor#cancel(String)}.
 *
 * @param <R> the result type
 */
public final class JobFuture<R extends @Nullable Object> implements Future<R> {
  private final TaskHandle task;
  private final @Nullable ClientCore core;

  JobFuture(TaskHandle task) {
    this(task, null);
  }

  JobFuture(TaskHandle task, @Nullable ClientCore core) {
    this.task = task;
    this.core = core;
  }

  /** The id of the job (map) this future belongs to. */
  public String jobId() {
    return task.jobId();
  }

  /** The id of this future on the server. */
  public String taskId() {
    return task.taskId();
  }

  /** The position of this future's input in the map's input list. */
  public int index() {
    return task.index();
  }

  /**
   * What this future's function printed to stdout and stderr in its latest attempt (at most 1 MiB,
   * then a {@code ...[truncated N bytes]} line); empty if it printed nothing or has not finished an
   * attempt yet.
   *
   * @throws QuarryException if the server cannot be reached or refuses the call
   * @throws IllegalStateException if the future was not made by an executor, or its executor is
   *     closed
   */
  public String logs() {
    if (core == null) {
      throw new IllegalStateException("this future belongs to no executor");
    }
    return core.futureLogs(task.jobId(), task.index());
  }

  /**
   * This future's statistics (queue time, start and end, worker, cold start, CPU time, peak memory,
   * bytes read and written, attempts), as the server recorded them for its latest attempt.
   *
   * @throws QuarryException if the server cannot be reached or refuses the call
   * @throws IllegalStateException if the future was not made by an executor, or its executor is
   *     closed
   */
  public FutureStats stats() {
    if (core == null) {
      throw new IllegalStateException("this future belongs to no executor");
    }
    return core.futureStats(task.jobId(), task.index());
  }

  /**
   * Cancels this future locally; if it was the last pending future of its job, the job is also
   * cancelled on the server (asynchronously). {@code mayInterruptIfRunning} is ignored: a running
   * remote invocation is stopped only by the server-side cancel.
   *
   * @return false if the future was already done
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return task.cancelLocally();
  }

  @Override
  public boolean isCancelled() {
    return task.promise().isCancelled();
  }

  @Override
  public boolean isDone() {
    return task.promise().isDone();
  }

  /**
   * Waits for the result.
   *
   * @throws ExecutionException with a {@link RemoteFunctionException} cause if the function failed,
   *     or a {@link QuarryException} cause if the result could not be obtained
   * @throws CancellationException if the future was cancelled
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  @Override
  public R get() throws InterruptedException, ExecutionException {
    return cast(task.promise().get());
  }

  /**
   * Waits at most the given time for the result.
   *
   * @throws ExecutionException with a {@link RemoteFunctionException} cause if the function failed,
   *     or a {@link QuarryException} cause if the result could not be obtained
   * @throws CancellationException if the future was cancelled
   * @throws InterruptedException if the thread was interrupted while waiting
   * @throws TimeoutException if the result did not arrive in time
   */
  @Override
  public R get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return cast(task.promise().get(timeout, unit));
  }

  /**
   * A new {@link CompletableFuture} that completes with the same outcome as this future: the same
   * result, the same exception ({@link RemoteFunctionException} or {@link QuarryException}) or
   * cancellation. It is a copy: completing or cancelling it does not affect this future.
   *
   * <p>If this future is not done yet, the copy is completed from the {@link
   * java.util.concurrent.ForkJoinPool#commonPool() common pool}, so dependent actions never run on
   * the client's network threads (and may block without stalling other results).
   */
  public CompletableFuture<R> toCompletableFuture() {
    CompletableFuture<R> view = new CompletableFuture<>();
    CompletableFuture<@Nullable Object> p = task.promise();
    if (p.isDone()) {
      mirror(p, view);
    } else {
      p.whenCompleteAsync((value, error) -> mirror(p, view));
    }
    return view;
  }

  private static <R extends @Nullable Object> void mirror(
      CompletableFuture<@Nullable Object> from, CompletableFuture<R> to) {
    switch (from.state()) {
      case SUCCESS -> to.complete(cast(from.resultNow()));
      case FAILED -> to.completeExceptionally(from.exceptionNow());
      case CANCELLED -> to.completeExceptionally(cancellation(from));
      case RUNNING -> throw new IllegalStateException("not done");
    }
  }

  private static CancellationException cancellation(CompletableFuture<?> from) {
    try {
      from.join();
    } catch (CancellationException e) {
      return e;
    } catch (RuntimeException e) {
      // not reached: the future is cancelled
    }
    return new CancellationException();
  }

  CompletableFuture<@Nullable Object> promise() {
    return task.promise();
  }

  @SuppressWarnings("unchecked")
  private static <R extends @Nullable Object> R cast(@Nullable Object value) {
    return (R) value;
  }

  @Override
  public String toString() {
    return "JobFuture[" + task.taskId() + ", index " + task.index() + ", " + state() + "]";
  }
}
