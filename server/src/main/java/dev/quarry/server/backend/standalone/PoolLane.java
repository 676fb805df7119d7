package dev.quarry.server.backend.standalone;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.pull.PullPool;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;

/**
 * A lane whose invocations go to a pull pool (standalone machines, Kubernetes pods): its capacity
 * is the pool's and it invokes through the pool.
 */
public interface PoolLane extends ComputeBackend {
  /** The pool the lane sends its invocations to. */
  PullPool pool();

  @Override
  default int capacity() {
    return pool().capacity();
  }

  @Override
  default CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    return pool().invoke(envelope);
  }
}
