package dev.quarry.client.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The client-side state of one future of a job: a promise completed once by the result stream, by a
 * local cancel or by a client failure. {@link dev.quarry.client.JobFuture} is its public view.
 */
public final class TaskHandle {
  /** Told once when a handle completes. */
  interface Listener {
    void taskDone(TaskHandle task, boolean cancelledLocally);
  }

  private final String jobId;
  private final String taskId;
  private final int index;
  private final @Nullable Listener listener;
  private final CompletableFuture<@Nullable Object> promise = new CompletableFuture<>();

  TaskHandle(String jobId, String taskId, int index, @Nullable Listener listener) {
    this.jobId = jobId;
    this.taskId = taskId;
    this.index = index;
    this.listener = listener;
  }

  /**
   * A handle that belongs to no job stream: completed by hand (tests, adapters).
   *
   * @throws NullPointerException if an id is null
   */
  public static TaskHandle detached(String jobId, String taskId, int index) {
    return new TaskHandle(jobId, taskId, index, null);
  }

  public String jobId() {
    return jobId;
  }

  public String taskId() {
    return taskId;
  }

  public int index() {
    return index;
  }

  /** The promise; complete it only through this class. */
  public CompletableFuture<@Nullable Object> promise() {
    return promise;
  }

  /** Completes with a result; false if already done. */
  public boolean succeed(@Nullable Object value) {
    return done(promise.complete(value), false);
  }

  /** Completes exceptionally; false if already done. */
  public boolean fail(Throwable error) {
    return done(promise.completeExceptionally(error), false);
  }

  /** Cancelled by the server (the job was cancelled); false if already done. */
  public boolean cancelRemotely() {
    return done(
        promise.completeExceptionally(
            new CancellationException("task " + taskId + " was cancelled on the server")),
        false);
  }

  /** Cancelled by the caller; false if already done. */
  public boolean cancelLocally() {
    return done(
        promise.completeExceptionally(
            new CancellationException("task " + taskId + " was cancelled")),
        true);
  }

  private boolean done(boolean changed, boolean local) {
    if (changed && listener != null) {
      listener.taskDone(this, local);
    }
    return changed;
  }

  @Override
  public String toString() {
    return "TaskHandle[" + taskId + ", " + stateText() + "]";
  }

  private String stateText() {
    if (!promise.isDone()) {
      return "pending";
    }
    if (promise.isCancelled()) {
      return "cancelled";
    }
    return promise.isCompletedExceptionally() ? "failed" : "succeeded";
  }
}
