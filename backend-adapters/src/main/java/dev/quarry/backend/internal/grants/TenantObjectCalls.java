package dev.quarry.backend.internal.grants;

import com.google.protobuf.ByteString;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.proto.v1.ListedObject;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context function's calls on its tenant's Storage API objects ({@code OP_OBJECT_*}), served as
 * the tenant of the invocation the worker holds now, whatever the call says; names, limits and
 * quota are the Storage API's. Shared by the local pipe and the pull workers' stream: the caller
 * decides whether the named invocation is held (and passes its tenant), this class does the rest.
 */
public final class TenantObjectCalls {
  private static final Logger log = LoggerFactory.getLogger(TenantObjectCalls.class);
  private static final int MAX_CHUNK = 8 << 20;
  private static final int MAX_LIST = 1000;

  private final @Nullable TenantObjects objects;
  private final long maxObjectBytes;

  /**
   * @param objects the tenants' objects; null to refuse every call ("no storage")
   * @param maxObjectBytes the largest object one write may carry
   */
  public TenantObjectCalls(@Nullable TenantObjects objects, long maxObjectBytes) {
    this.objects = objects;
    this.maxObjectBytes = maxObjectBytes;
  }

  /** Whether the call is on the tenant's Storage API objects (not on the invocation's grant). */
  public static boolean isObjectCall(StorageCall call) {
    return switch (call.getOp()) {
      case OP_OBJECT_READ, OP_OBJECT_WRITE, OP_OBJECT_LIST, OP_OBJECT_DELETE -> true;
      default -> false;
    };
  }

  /**
   * @param tenant the tenant of the invocation the call names, null when the worker does not hold
   *     that invocation (now): the call is denied
   */
  public StorageReply serve(String workerId, @Nullable String tenant, StorageCall call) {
    StorageReply.Builder reply = StorageReply.newBuilder().setCallId(call.getCallId());
    if (tenant == null) {
      return GrantedStorage.deny(
          reply, workerId, call, "invocation '" + call.getInvocationId() + "' is not running");
    }
    if (objects == null) {
      return GrantedStorage.deny(reply, workerId, call, "this backend gives functions no storage");
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
}
