package dev.quarry.backend.internal.local;

import dev.quarry.backend.internal.grants.GrantedStorage;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.ObjectStore;
import org.jspecify.annotations.Nullable;

/** A local worker's storage calls, served within the grant of the invocation it runs now. */
final class StorageChannel {
  private final GrantedStorage storage;

  StorageChannel(ObjectStore store, long maxObjectBytes) {
    this.storage = new GrantedStorage(store, maxObjectBytes);
  }

  /**
   * @param running the invocation the worker runs now, if any
   */
  StorageReply serve(String workerId, @Nullable PendingInvocation running, StorageCall call) {
    boolean current = running != null && running.id().equals(call.getInvocationId());
    return storage.serve(workerId, current ? running.grant() : null, call);
  }
}
