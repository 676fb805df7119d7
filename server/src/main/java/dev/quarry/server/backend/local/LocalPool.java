package dev.quarry.server.backend.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local worker pool, started on first use and shared by several lanes (the default lane and
 * each local profile). The host is checked at once (a missing sandbox fails the caller), but the
 * worker JVMs start on a background thread: the server does not wait for them, and invocations sent
 * before they are ready wait in the pool's queue. A start that fails fails the invocations that
 * waited for it ({@link Kind#PERMANENT}, with the cause) and the next use starts again. Closing a
 * lane's view does not close the pool; the plug-in does when the server stops.
 */
final class LocalPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalPool.class);

  private final LocalBackendOptions options;
  private final Function<LocalBackendOptions, ComputeBackend> start;
  private @Nullable CompletableFuture<ComputeBackend> pool;
  private boolean closed;

  /**
   * @param start starts the workers and returns once they are ready ({@link LocalBackends#create}
   *     but for tests)
   */
  LocalPool(LocalBackendOptions options, Function<LocalBackendOptions, ComputeBackend> start) {
    this.options = options;
    this.start = start;
  }

  /**
   * The pool, being started now if it was not yet or its last start failed.
   *
   * @throws BackendException PERMANENT when this host cannot run sandboxed workers
   * @throws IllegalStateException once closed
   */
  synchronized CompletableFuture<ComputeBackend> starting() {
    if (closed) {
      throw new IllegalStateException("the local worker pool is closed");
    }
    if (pool == null || pool.isCompletedExceptionally()) {
      LocalBackends.checkHost(options);
      CompletableFuture<ComputeBackend> started = new CompletableFuture<>();
      Thread.ofVirtual()
          .name("quarry-local-pool-start")
          .start(
              () -> {
                try {
                  started.complete(start.apply(options));
                } catch (RuntimeException | Error e) {
                  log.error("The local worker pool failed to start: {}", e.getMessage(), e);
                  started.completeExceptionally(e);
                }
              });
      pool = started;
    }
    return pool;
  }

  /** A view of the pool that a decorator may close without stopping the workers. */
  ComputeBackend shared() {
    starting();
    return new ComputeBackend() {
      @Override
      public String type() {
        return LocalBackends.TYPE;
      }

      @Override
      public int capacity() {
        return options.poolSize() * options.maxInFlightPerWorker();
      }

      @Override
      public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
        CompletableFuture<ComputeBackend> running;
        try {
          running = starting();
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(permanent(e));
        }
        if (running.isDone() && !running.isCompletedExceptionally()) {
          return running.join().invoke(envelope); // ready: no hop
        }
        CompletableFuture<InvocationSummary> result = new CompletableFuture<>();
        running.whenComplete(
            (backend, failed) -> {
              if (failed != null) {
                result.completeExceptionally(permanent(failed));
                return;
              }
              backend
                  .invoke(envelope)
                  .whenComplete(
                      (summary, e) -> {
                        if (e != null) {
                          result.completeExceptionally(e);
                        } else {
                          result.complete(summary);
                        }
                      });
            });
        return result;
      }

      @Override
      public void close() {}
    };
  }

  private static BackendException permanent(Throwable e) {
    return e instanceof BackendException b
        ? b
        : new BackendException(
            Kind.PERMANENT, "the local worker pool cannot run: " + e.getMessage(), e);
  }

  /** Stops the workers; a start still running stops its workers when it ends. */
  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.thenAccept(ComputeBackend::close);
      pool = null;
    }
  }
}
