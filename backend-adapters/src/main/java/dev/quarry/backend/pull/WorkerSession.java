package dev.quarry.backend.pull;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import java.util.Collection;

/**
 * One connected worker of a {@link PullPool}: the transport feeds it the worker's messages. Every
 * method is safe to call from any thread and after the session ended (it then does nothing, or
 * refuses).
 */
public interface WorkerSession {

  /** The session's id, unique in the pool. */
  String id();

  /**
   * Renews the leases of the listed invocations this worker holds (others are ignored) and marks
   * the worker alive.
   */
  void heartbeat(Collection<String> invocationIds);

  /**
   * Reports an invocation's outcome.
   *
   * @return false when the worker holds no lease on it (expired, never given, already reported):
   *     the outcome is dropped, so a lost lease is never recorded twice
   */
  boolean complete(InvocationSummary summary);

  /** Serves a storage call within the grant of the named invocation, if this worker holds it. */
  StorageReply storage(StorageCall call);

  /** The worker finishes what it holds and gets nothing new. */
  void drain();

  /**
   * Ends the session (connection lost, token revoked): the invocations it holds fail retryably so
   * their tasks run elsewhere.
   */
  void close(String reason);

  /** Whether the session is still connected to the pool. */
  boolean isOpen();
}
