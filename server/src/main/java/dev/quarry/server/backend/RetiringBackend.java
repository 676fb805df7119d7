package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The backend of one lane, counting its invocations in flight so a replaced lane closes when its
 * last invocation ends (jobs may run for an hour; a timer would cut them off or keep the lane open
 * far too long). An invocation that arrives after the lane closed, because the caller took the lane
 * just before it was replaced, runs on the lane that replaced it.
 */
final class RetiringBackend implements ComputeBackend {
  private final ComputeBackend delegate;
  private int inFlight;
  private boolean retired;
  private boolean closed;
  private @Nullable ComputeBackend successor;

  RetiringBackend(ComputeBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public String type() {
    return delegate.type();
  }

  @Override
  public int capacity() {
    return delegate.capacity();
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    boolean entered;
    ComputeBackend next;
    synchronized (this) {
      entered = !closed;
      if (entered) {
        inFlight++;
      }
      next = successor;
    }
    if (!entered) {
      return next != null
          ? next.invoke(envelope)
          : CompletableFuture.failedFuture(
              new BackendException(BackendException.Kind.TRANSIENT, "the lane is closed"));
    }
    CompletableFuture<InvocationSummary> call;
    try {
      call = delegate.invoke(envelope);
    } catch (RuntimeException e) {
      exit();
      throw e;
    }
    call.whenComplete((summary, error) -> exit());
    return call;
  }

  /** The backend this one passes invocations to until it retires. */
  ComputeBackend delegate() {
    return delegate;
  }

  /** Invocations started and not yet ended. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** Whether the delegate was closed. */
  synchronized boolean closed() {
    return closed;
  }

  /**
   * Closes the delegate once no invocation is in flight (now, if none is); later invocations go to
   * {@code replacement}.
   */
  void retire(ComputeBackend replacement) {
    boolean closeNow;
    synchronized (this) {
      successor = replacement;
      retired = true;
      closeNow = inFlight == 0 && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      delegate.close();
    }
  }

  /** Closes the delegate now; running invocations fail as the backend's close says. */
  @Override
  public void close() {
    boolean closeNow;
    synchronized (this) {
      retired = true;
      closeNow = !closed;
      closed = true;
    }
    if (closeNow) {
      delegate.close();
    }
  }

  private void exit() {
    boolean closeNow;
    synchronized (this) {
      inFlight--;
      closeNow = inFlight == 0 && retired && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      delegate.close();
    }
  }
}
