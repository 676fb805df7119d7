package dev.quarry.backend.internal.local;

import dev.quarry.backend.internal.grants.GrantedStorage;
import dev.quarry.backend.internal.grants.TenantObjectCalls;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.ObjectStore;
import org.jspecify.annotations.Nullable;

/**
 * A local worker's storage calls: object calls within the grant of the invocation it runs now, on
 * the store chosen for that invocation (see {@link PendingInvocation#store()}) or the server's; and
 * a context function's calls on its tenant's Storage API objects ({@link TenantObjectCalls}).
 */
final class StorageChannel {
  private final GrantedStorage storage;
  private final TenantObjectCalls objects;

  StorageChannel(ObjectStore store, long maxObjectBytes, @Nullable TenantObjects objects) {
    this.storage = new GrantedStorage(store, maxObjectBytes);
    this.objects = new TenantObjectCalls(objects, maxObjectBytes);
  }

  /**
   * @param running the invocation the worker runs now, if any
   */
  StorageReply serve(String workerId, @Nullable PendingInvocation running, StorageCall call) {
    boolean current = running != null && running.id().equals(call.getInvocationId());
    if (TenantObjectCalls.isObjectCall(call)) {
      return objects.serve(workerId, current ? running.envelope().getTenantId() : null, call);
    }
    return storage.serve(
        workerId, current ? running.grant() : null, current ? running.store() : null, call);
  }
}
