package dev.quarry.backend;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;

/**
 * Runs invocations: each {@link TaskEnvelope} names a function and a chunk of inputs; the backend
 * gets it to a worker, which writes results to storage and answers an {@link InvocationSummary}.
 *
 * <p>{@link #invoke} never blocks the caller: it queues the envelope and returns a future. The
 * future completes exceptionally with a {@link BackendException} when the invocation itself failed
 * (worker crashed, timed out, platform refused); a function's own exception is not a backend
 * failure and is reported inside the summary.
 *
 * <pre>{@code
 * ComputeBackend backend = ...;
 * backend.invoke(envelope).whenComplete((summary, error) -> record(summary, error));
 * }</pre>
 */
public interface ComputeBackend extends AutoCloseable {

  /** The type name used in configuration, e.g. {@code local}. */
  String type();

  /** How many invocations this backend runs at once; dispatchers keep at most this many open. */
  int capacity();

  /**
   * Queues one invocation.
   *
   * @return completes with the worker's summary, or exceptionally with a {@link BackendException}
   */
  CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope);

  /** Stops workers; pending invocations fail with a retryable {@link BackendException}. */
  @Override
  void close();
}
