package dev.quarry.client.internal;

import dev.quarry.client.ErrorReason;
import dev.quarry.client.QuarryException;
import dev.quarry.proto.v1.FunctionInfo;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers packed functions and remembers their ids, so a function already registered by this
 * client costs no round trip. The first registration uploads what the server lacks.
 */
final class FunctionRegistry {
  private static final int MAX_CACHED = 4096;

  private final ClientCore core;
  private final BlobUploader uploader;
  private final Map<String, String> ids =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_CACHED;
        }
      };

  FunctionRegistry(ClientCore core, BlobUploader uploader) {
    this.core = core;
    this.uploader = uploader;
  }

  /** Whether this function's id is cached. */
  boolean isCached(PackedFunction f) {
    synchronized (ids) {
      return ids.containsKey(cacheKey(f));
    }
  }

  /**
   * The server's id for this function, registering it (and uploading blobs) if needed.
   *
   * @throws QuarryException if a call fails
   */
  String functionId(PackedFunction f) {
    String key = cacheKey(f);
    synchronized (ids) {
      String cached = ids.get(key);
      if (cached != null) {
        return cached;
      }
    }
    uploader.ensureUploaded(f.blobs());
    String id;
    try {
      id = register(f);
    } catch (QuarryException e) {
      if (e.reason() != ErrorReason.BLOB_NOT_UPLOADED) {
        throw e;
      }
      // the server dropped blobs we believed it held: check everything again
      uploader.forgetAll();
      uploader.ensureUploaded(f.blobs());
      id = register(f);
    }
    synchronized (ids) {
      ids.put(key, id);
    }
    return id;
  }

  /** Drops the cached id (the server no longer knows it). */
  void forget(PackedFunction f) {
    synchronized (ids) {
      ids.remove(cacheKey(f));
    }
    uploader.forgetAll();
  }

  private String register(PackedFunction f) {
    FunctionInfo info =
        core.call(
            "registering the function",
            stub ->
                stub.registerFunction(
                    RegisterFunctionRequest.newBuilder()
                        .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
                        .setPayloadDigest(f.payload().digest())
                        .addAllJarDigests(f.jarDigests())
                        .build()));
    if (info.getId().isEmpty()) {
      throw new QuarryException(Status.Code.INTERNAL, "the server returned no function id");
    }
    return info.getId();
  }

  private static String cacheKey(PackedFunction f) {
    return f.registryKey();
  }
}
