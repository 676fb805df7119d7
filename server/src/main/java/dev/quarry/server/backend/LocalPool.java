package dev.quarry.server.backend;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;

/**
 * The local worker pool, shared by several resilience decorators (the default backend and each
 * local profile). Closing a decorator does not close the pool; the application context does.
 */
public final class LocalPool implements AutoCloseable {
  private final ComputeBackend pool;

  LocalPool(ComputeBackend pool) {
    this.pool = pool;
  }

  /** A view of the pool that a decorator may close without stopping the workers. */
  ComputeBackend shared() {
    return new ComputeBackend() {
      @Override
      public String type() {
        return pool.type();
      }

      @Override
      public int capacity() {
        return pool.capacity();
      }

      @Override
      public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
        return pool.invoke(envelope);
      }

      @Override
      public void close() {}
    };
  }

  int capacity() {
    return pool.capacity();
  }

  @Override
  public void close() {
    pool.close();
  }
}
