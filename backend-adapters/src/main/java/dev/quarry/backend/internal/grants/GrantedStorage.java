package dev.quarry.backend.internal.grants;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quarry.proto.v1.FunctionSpec;
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
 * Serves workers' storage calls from the server's store: a key is read or written only when the
 * grant of the invocation the worker is running covers it. Workers thus need no credentials, no
 * network and no view of the data directory. Shared by the local pipe and the pull workers' stream.
 */
public final class GrantedStorage {
  private static final Logger log = LoggerFactory.getLogger(GrantedStorage.class);
  private static final int MAX_CHUNK = 8 << 20;

  private final ObjectStore store;
  private final long maxObjectBytes;

  public GrantedStorage(ObjectStore store, long maxObjectBytes) {
    this.store = store;
    this.maxObjectBytes = maxObjectBytes;
  }

  /**
   * @param grant the grant of the invocation the call names, null when the worker does not run that
   *     invocation (now)
   */
  public StorageReply serve(String workerId, @Nullable InvocationGrant grant, StorageCall call) {
    return serve(workerId, grant, null, call);
  }

  /**
   * @param grant the grant of the invocation the call names, null when the worker does not run that
   *     invocation (now)
   * @param invocationStore the store chosen for that invocation (a profile's own bucket), null for
   *     the server's
   */
  public StorageReply serve(
      String workerId,
      @Nullable InvocationGrant grant,
      @Nullable ObjectStore invocationStore,
      StorageCall call) {
    ObjectStore store = invocationStore == null ? this.store : invocationStore;
    StorageReply.Builder reply = StorageReply.newBuilder().setCallId(call.getCallId());
    if (grant == null) {
      return deny(
          reply, workerId, call, "invocation '" + call.getInvocationId() + "' is not running");
    }
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

  /** A refusal (the call is not allowed), logged without the call's data. */
  static StorageReply deny(
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
