package dev.quarry.backend.internal.local;

import dev.quarry.backend.internal.grants.InvocationGrant;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An invocation waiting for, or running on, a worker. {@code queuedAtMs} is when it entered the
 * backend's queue: time spent waiting there does not count against its deadline. {@code grant} is
 * what its worker may read and write while it runs, in {@code store} (null: the backend's own
 * store).
 */
record PendingInvocation(
    TaskEnvelope envelope,
    CompletableFuture<InvocationSummary> future,
    long queuedAtMs,
    InvocationGrant grant,
    @Nullable ObjectStore store) {

  PendingInvocation(
      TaskEnvelope envelope,
      CompletableFuture<InvocationSummary> future,
      long queuedAtMs,
      InvocationGrant grant) {
    this(envelope, future, queuedAtMs, grant, null);
  }

  /** The same invocation with its deadline moved forward by the time it spent queued. */
  PendingInvocation startingAt(long nowMs) {
    if (envelope.getDeadlineMs() <= 0 || nowMs <= queuedAtMs) {
      return this;
    }
    TaskEnvelope shifted =
        envelope.toBuilder().setDeadlineMs(envelope.getDeadlineMs() + (nowMs - queuedAtMs)).build();
    return new PendingInvocation(shifted, future, queuedAtMs, grant, store);
  }

  String id() {
    return envelope.getInvocationId();
  }
}
