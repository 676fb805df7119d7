package dev.quarry.server.backend.local;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The local worker pool, started on first use and shared by several lanes (the default lane and
 * each local profile). Closing a lane's view does not close the pool; the plug-in does when the
 * server stops.
 */
final class LocalPool implements AutoCloseable {
  private final Supplier<ComputeBackend> start;
  private @Nullable ComputeBackend pool;
  private boolean closed;

  LocalPool(Supplier<ComputeBackend> start) {
    this.start = start;
  }

  /**
   * The pool, started now if it was not yet.
   *
   * @throws dev.quarry.backend.BackendException PERMANENT when the workers cannot start
   * @throws IllegalStateException once closed
   */
  synchronized ComputeBackend started() {
    if (closed) {
      throw new IllegalStateException("the local worker pool is closed");
    }
    if (pool == null) {
      pool = start.get();
    }
    return pool;
  }

  /** A view of the pool that a decorator may close without stopping the workers. */
  ComputeBackend shared() {
    ComputeBackend running = started();
    return new ComputeBackend() {
      @Override
      public String type() {
        return running.type();
      }

      @Override
      public int capacity() {
        return running.capacity();
      }

      @Override
      public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
        return running.invoke(envelope);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }
}
