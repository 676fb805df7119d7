package dev.quarry.backend.internal.local;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.ListedObject;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves workers' storage calls from the server's store (or the store chosen for the running
 * invocation, see {@link PendingInvocation#store()}): a key is read or written only when the grant
 * of the invocation the worker is running covers it. Workers thus need no credentials, no network
 * and no view of the data directory.
 */
final class StorageChannel {
  private static final Logger log = LoggerFactory.getLogger(StorageChannel.class);
  private static final int MAX_CHUNK = 8 << 20;

  private static final int MAX_LIST = 1000;

  private final ObjectStore store;
  private final long maxObjectBytes;
  private final @Nullable TenantObjects objects;

  StorageChannel(ObjectStore store, long maxObjectBytes, @Nullable TenantObjects objects) {
    this.store = store;
    this.maxObjectBytes = maxObjectBytes;
    this.objects = objects;
  }

  /**
   * @param running the invocation the worker runs now, if any
   */
  StorageReply serve(String workerId, @Nullable PendingInvocation running, StorageCall call) {
    StorageReply.Builder reply = StorageReply.newBuilder().setCallId(call.getCallId());
    if (running == null || !running.id().equals(call.getInvocationId())) {
      return deny(
          reply, workerId, call, "invocation '" + call.getInvocationId() + "' is not running");
    }
    InvocationGrant grant = running.grant();
    ObjectStore store = running.store() == null ? this.store : running.store();
    try {
      return switch (call.getOp()) {
        case OP_READ -> {
          if (!grant.mayRead(call.getKey())) {
            yield deny(reply, workerId, call, "not granted for reading");
          }
          yield read(store, reply, call, grant);
        }
        case OP_WRITE -> {
          if (!grant.mayWrite(call.getKey())) {
            yield deny(reply, workerId, call, "not granted for writing");
          }
          if (call.getData().size() > maxObjectBytes) {
            yield reply
                .setError(
                    "object of "
                        + call.getData().size()
                        + " bytes exceeds the limit of "
                        + maxObjectBytes)
                .build();
          }
          store.put(call.getKey(), call.getData().toByteArray());
          yield reply.build();
        }
        case OP_OBJECT_READ, OP_OBJECT_WRITE, OP_OBJECT_LIST, OP_OBJECT_DELETE ->
            tenantObject(reply, workerId, running.envelope().getTenantId(), call);
        default -> reply.setError("unknown storage operation " + call.getOp()).build();
      };
    } catch (StorageException e) {
      log.warn(
          "Storage call of worker {} on '{}' failed: {}", workerId, call.getKey(), e.toString());
      return reply.setError(e.getMessage()).setRetryable(e.retryable()).build();
    } catch (IOException | RuntimeException e) {
      log.warn("Storage call of worker {} on '{}' failed", workerId, call.getKey(), e);
      return reply.setError(e.toString()).setRetryable(true).build();
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

  private static StorageReply read(
      ObjectStore store, StorageReply.Builder reply, StorageCall call, InvocationGrant grant)
      throws IOException {
    Optional<Long> size = store.size(call.getKey());
    if (size.isEmpty()) {
      return reply.setFound(false).build();
    }
    int length = Math.max(0, Math.min(call.getLength(), MAX_CHUNK));
    byte[] data;
    Optional<InputStream> opened = store.open(call.getKey());
    if (opened.isEmpty()) {
      return reply.setFound(false).build();
    }
    try (InputStream in = opened.get()) {
      in.skipNBytes(Math.min(call.getOffset(), size.get()));
      data = in.readNBytes(length);
    }
    if (grant.isManifest(call.getKey()) && call.getOffset() == 0 && data.length == size.get()) {
      try {
        grant.addFunction(FunctionSpec.parseFrom(data));
      } catch (InvalidProtocolBufferException e) {
        return reply.setError("function manifest '" + call.getKey() + "' is corrupt").build();
      }
    }
    return reply.setFound(true).setSize(size.get()).setData(ByteString.copyFrom(data)).build();
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
