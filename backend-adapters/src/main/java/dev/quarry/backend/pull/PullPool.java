package dev.quarry.backend.pull;

import dev.quarry.backend.ComputeBackend;

/**
 * A backend lane whose workers come to it. {@link #invoke} queues the envelope; a connected worker
 * with a free slot gets it at once (no polling delay), under a lease it renews by heartbeat. {@link
 * #capacity()} is the sum of the slots of the connected workers that are not draining. A worker
 * that disconnects or misses heartbeats loses its leases: those invocations fail with a retryable
 * {@link dev.quarry.backend.BackendException} of kind {@code CRASH}, and their late outcomes are
 * dropped. Workers reach storage only through {@link WorkerSession#storage}, within the grant of an
 * invocation they hold.
 *
 * <pre>{@code
 * PullPool pool = PullPools.create(PullPoolOptions.builder().store(store).build());
 * WorkerSession session = pool.connect("host-1", 4, link); // a worker joined
 * pool.invoke(envelope); // link.send(envelope) runs now
 * session.complete(summary); // the invocation's future completes
 * }</pre>
 */
public interface PullPool extends ComputeBackend {

  /**
   * Connects a worker.
   *
   * @param name free text for logs, clipped to 128 characters
   * @param slots invocations the worker runs at once
   * @throws IllegalArgumentException if {@code slots} is not within 1 and {@link
   *     PullPoolOptions#maxSlots()}
   * @throws IllegalStateException if the pool is closed
   */
  WorkerSession connect(String name, int slots, WorkerLink link);

  /** How many workers are connected now. */
  int workers();

  /** Invocations queued and not yet handed to a worker. */
  int queued();
}
