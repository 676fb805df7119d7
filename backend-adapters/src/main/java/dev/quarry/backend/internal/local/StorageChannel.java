package dev.quarry.backend.internal.local;

import com.google.protobuf.ByteString;
import dev.quarry.backend.internal.grants.GrantedStorage;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.proto.v1.ListedObject;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.ObjectStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local worker's storage calls: object calls within the grant of the invocation it runs now, on
 * the store chosen for that invocation (see {@link PendingInvocation#store()}) or the server's; and
 * a context function's calls on its tenant's Storage API objects.
 */
final class StorageChannel {
  private static final Logger log = LoggerFactory.getLogger(StorageChannel.class);
  private static final int MAX_CHUNK = 8 << 20;
  private static final int MAX_LIST = 1000;

  private final GrantedStorage storage;
  private final long maxObjectBytes;
  private final @Nullable TenantObjects objects;

  StorageChannel(ObjectStore store, long maxObjectBytes, @Nullable TenantObjects objects) {
    this.storage = new GrantedStorage(store, maxObjectBytes);
    this.maxObjectBytes = maxObjectBytes;
    this.objects = objects;
  }

  /**
   * @param running the invocation the worker runs now, if any
   */
  StorageReply serve(String workerId, @Nullable PendingInvocation running, StorageCall call) {
    boolean current = running != null && running.id().equals(call.getInvocationId());
    switch (call.getOp()) {
      case OP_OBJECT_READ, OP_OBJECT_WRITE, OP_OBJECT_LIST, OP_OBJECT_DELETE -> {
        StorageReply.Builder reply = StorageReply.newBuilder().setCallId(call.getCallId());
        if (!current) {
          return deny(
              reply, workerId, call, "invocation '" + call.getInvocationId() + "' is not running");
        }
        return tenantObject(reply, workerId, running.envelope().getTenantId(), call);
      }
      default -> {
        return storage.serve(
            workerId, current ? running.grant() : null, current ? running.store() : null, call);
      }
    }
  }

  /**
   * A context function's call on its tenant's Storage API objects: the tenant is the running
   * invocation's, whatever the call says; names, limits and quota are the Storage API's.
   */
  private StorageReply tenantObject(
      StorageReply.Builder reply, String workerId, String tenant, StorageCall call) {
    if (objects == null) {
      return deny(reply, workerId, call, "this backend gives functions no storage");
    }
    String bucket = call.getBucket();
    String key = call.getKey();
    try {
      return switch (call.getOp()) {
        case OP_OBJECT_READ -> {
          int length = Math.max(0, Math.min(call.getLength(), MAX_CHUNK));
          TenantObjects.Read r = objects.read(tenant, bucket, key, call.getOffset(), length);
          yield reply
              .setFound(r.found())
              .setSize(r.size())
              .setEtag(r.etag())
              .setData(ByteString.copyFrom(r.data()))
              .build();
        }
        case OP_OBJECT_WRITE -> {
          if (call.getData().size() > maxObjectBytes) {
            yield reply
                .setReason("PAYLOAD_TOO_LARGE")
                .setError(
                    "object of "
                        + call.getData().size()
                        + " bytes exceeds the limit of "
                        + maxObjectBytes
                        + " for one write from a function")
                .build();
          }
          objects.write(tenant, bucket, key, call.getData().toByteArray());
          yield reply.build();
        }
        case OP_OBJECT_LIST -> {
          TenantObjects.Page page =
              objects.list(tenant, bucket, key, call.getPageToken(), MAX_LIST);
          for (TenantObjects.Entry e : page.objects()) {
            reply.addObjects(
                ListedObject.newBuilder().setKey(e.key()).setSize(e.size()).setEtag(e.etag()));
          }
          yield reply.setNextPageToken(page.nextPageToken()).build();
        }
        case OP_OBJECT_DELETE -> reply.setFound(objects.delete(tenant, bucket, key)).build();
        default -> reply.setError("unknown storage operation " + call.getOp()).build();
      };
    } catch (TenantObjects.Refused e) {
      return reply.setReason(e.reason()).setError(e.getMessage()).build();
    } catch (RuntimeException e) {
      log.warn("Object call of worker {} on bucket '{}' failed", workerId, bucket, e);
      return reply
          .setError("storage failed: " + e.getClass().getSimpleName())
          .setRetryable(true)
          .build();
    }
  }

  private static StorageReply deny(
      StorageReply.Builder reply, String workerId, StorageCall call, String why) {
    log.warn(
        "Worker {} denied {} of '{}' for invocation {}: {}",
        workerId,
        call.getOp(),
        call.getKey(),
        call.getInvocationId(),
        why);
    return reply.setDenied(true).setError(why).build();
  }
}
