package dev.quarry.backend.pull;

import dev.quarry.proto.v1.TaskEnvelope;

/**
 * How a pull pool reaches one connected worker; implemented by the transport. The pool calls these
 * outside its lock, possibly from several threads; implementations serialize their writes.
 */
public interface WorkerLink {

  /**
   * Hands the worker an invocation it holds a lease on.
   *
   * @throws RuntimeException if the worker cannot be reached; the pool then ends the session
   */
  void send(TaskEnvelope envelope);

  /** Tells the worker the server gave up on one of its invocations (best effort). */
  void leaseLost(String invocationId, String reason);

  /**
   * The worker drains and holds no invocation any more: nothing more will be sent to it, it may end
   * its stream.
   */
  void drained();

  /** Ends the worker's connection (missed heartbeats, pool closed); the session is already gone. */
  void disconnect(String reason);
}
