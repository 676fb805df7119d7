package dev.quarry.backend.internal.local;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.util.concurrent.CompletableFuture;

/** An invocation waiting for, or running on, a worker. */
record PendingInvocation(TaskEnvelope envelope, CompletableFuture<InvocationSummary> future) {

  String id() {
    return envelope.getInvocationId();
  }
}
