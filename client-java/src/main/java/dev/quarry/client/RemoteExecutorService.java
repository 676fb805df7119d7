package dev.quarry.client;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * {@link FunctionExecutor#asExecutorService()}: every task is sent as the input of one shared
 * function that calls it remotely, so the function is registered once.
 */
final class RemoteExecutorService extends AbstractExecutorService {
  private final FunctionExecutor executor;
  private final Set<RemoteTask<?>> running = ConcurrentHashMap.newKeySet();
  private volatile boolean shutdown;

  RemoteExecutorService(FunctionExecutor executor) {
    this.executor = executor;
  }

  /** The remote side: runs the callable it gets as input. */
  static final class CallTask implements SerializableFunction<Callable<?>, @Nullable Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable Object apply(Callable<?> task) {
      try {
        return task.call();
      } catch (Exception e) {
        throw CallTask.<RuntimeException>sneaky(e);
      }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
      throw (E) t;
    }
  }

  /** A task that runs remotely once {@link #run()} is called. */
  private final class RemoteTask<T extends @Nullable Object> implements RunnableFuture<T> {
    private final Callable<T> callable;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private volatile @Nullable JobFuture<?> remote;
    private boolean started;

    RemoteTask(Callable<T> callable) {
      this.callable = callable;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (started || outcome.isDone()) {
          return;
        }
        started = true;
      }
      running.add(this);
      outcome.whenComplete((v, e) -> running.remove(this));
      JobFuture<@Nullable Object> f;
      try {
        f = executor.callAsync(new CallTask(), callable);
      } catch (RuntimeException e) {
        outcome.completeExceptionally(e);
        return;
      }
      remote = f;
      f.toCompletableFuture()
          .whenComplete(
              (value, error) -> {
                if (error == null) {
                  @SuppressWarnings("unchecked")
                  T t = (T) value;
                  outcome.complete(t);
                } else {
                  outcome.completeExceptionally(error);
                }
              });
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = outcome.cancel(false);
      JobFuture<?> f = remote;
      if (cancelled && f != null) {
        f.cancel(mayInterruptIfRunning);
      }
      return cancelled;
    }

    @Override
    public boolean isCancelled() {
      return outcome.isCancelled();
    }

    @Override
    public boolean isDone() {
      return outcome.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      return outcome.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return outcome.get(timeout, unit);
    }
  }

  @Override
  protected <T extends @Nullable Object> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    if (!(callable instanceof Serializable)) {
      throw notSerializable(callable);
    }
    return new RemoteTask<>(callable);
  }

  @Override
  protected <T extends @Nullable Object> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    if (!(runnable instanceof Serializable)) {
      throw notSerializable(runnable);
    }
    return new RemoteTask<>(new RunnableCall<>(runnable, value));
  }

  /** A serializable runnable as a callable; the value must be serializable too. */
  private record RunnableCall<T extends @Nullable Object>(Runnable runnable, T value)
      implements Callable<T>, Serializable {
    @Override
    public T call() {
      runnable.run();
      return value;
    }
  }

  private static RejectedExecutionException notSerializable(Object task) {
    return new RejectedExecutionException(
        "task "
            + task.getClass().getName()
            + " is not serializable: submit e.g."
            + " (Callable<T> & Serializable) () -> ... or (Runnable & Serializable) () -> ...");
  }

  /**
   * Runs the task remotely.
   *
   * @throws RejectedExecutionException if shut down or the task is not serializable
   */
  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new RejectedExecutionException("this executor service is shut down");
    }
    if (command instanceof RemoteTask<?> task) {
      task.run();
      return;
    }
    if (!(command instanceof Serializable)) {
      throw notSerializable(command);
    }
    new RemoteTask<>(new RunnableCall<>(command, null)).run();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    for (RemoteTask<?> t : List.copyOf(running)) {
      t.cancel(true);
    }
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && running.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!isTerminated()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      CompletableFuture<?>[] all =
          running.stream().map(t -> t.outcome).toArray(CompletableFuture[]::new);
      try {
        CompletableFuture.allOf(all).get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | java.util.concurrent.CancellationException ignored) {
        // failed tasks are terminated too
      } catch (TimeoutException e) {
        return false;
      }
    }
    return true;
  }
}
