package dev.quarry.worker.internal;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.ListedObject;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.StorageException;
import dev.quarry.worker.WorkerObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A worker's view of its tenant's Storage API objects when it holds no credentials: every call goes
 * over the worker's channel (the local worker pipe, a pull worker's stream) to the server, which
 * runs it as the tenant of the invocation named, and only while the worker holds that invocation.
 * Reads travel in parts of at most {@link #MAX_READ} bytes; a write larger than the channel carries
 * is refused before it is sent.
 */
public final class ChannelObjects implements WorkerObjects {
  private final StoragePipe pipe;

  /**
   * @param pipe the worker's storage channel to the server
   */
  public ChannelObjects(StoragePipe pipe) {
    this.pipe = pipe;
  }

  @Override
  public WorkerObjects forInvocation(String invocationId) {
    return new ChannelObjects(pipe.forInvocation(invocationId));
  }

  @Override
  public Optional<Part> read(String bucket, String key, long offset, int length) {
    StorageReply r =
        call(
            StorageCall.newBuilder()
                .setOp(StorageCall.Op.OP_OBJECT_READ)
                .setBucket(bucket)
                .setKey(key)
                .setOffset(offset)
                .setLength(Math.min(length, MAX_READ)));
    if (!r.getFound()) {
      return Optional.empty();
    }
    return Optional.of(new Part(r.getSize(), r.getEtag(), r.getData().toByteArray()));
  }

  @Override
  public void write(String bucket, String key, byte[] data) {
    long max = pipe.maxWrite();
    if (data.length > max) {
      throw new UncheckedIOException(
          new IOException(
              "PAYLOAD_TOO_LARGE: '"
                  + bucket
                  + "/"
                  + key
                  + "' of "
                  + data.length
                  + " bytes exceeds the "
                  + max
                  + " bytes one write from a function carries"));
    }
    call(
        StorageCall.newBuilder()
            .setOp(StorageCall.Op.OP_OBJECT_WRITE)
            .setBucket(bucket)
            .setKey(key)
            .setData(ByteString.copyFrom(data)));
  }

  @Override
  public Page list(String bucket, String prefix, String pageToken) {
    StorageReply r =
        call(
            StorageCall.newBuilder()
                .setOp(StorageCall.Op.OP_OBJECT_LIST)
                .setBucket(bucket)
                .setKey(prefix)
                .setPageToken(pageToken));
    List<Entry> entries = new ArrayList<>(r.getObjectsCount());
    for (ListedObject o : r.getObjectsList()) {
      entries.add(new Entry(o.getKey(), o.getSize(), o.getEtag()));
    }
    return new Page(entries, r.getNextPageToken());
  }

  @Override
  public boolean delete(String bucket, String key) {
    return call(StorageCall.newBuilder()
            .setOp(StorageCall.Op.OP_OBJECT_DELETE)
            .setBucket(bucket)
            .setKey(key))
        .getFound();
  }

  private StorageReply call(StorageCall.Builder call) {
    StorageReply r;
    try {
      r = pipe.send(call);
    } catch (StorageException e) {
      // the function sees JDK exceptions only
      throw new UncheckedIOException(
          new IOException(e.getMessage() + (e.retryable() ? " (retryable)" : ""), e));
    }
    if (r.getError().isEmpty()) {
      return r;
    }
    String what = "'" + call.getBucket() + "/" + call.getKey() + "': " + r.getError();
    if (r.getDenied()) {
      throw new SecurityException("storage call refused for " + what);
    }
    switch (r.getReason()) {
      case "INVALID_OBJECT_NAME", "INVALID_ARGUMENT" ->
          throw new IllegalArgumentException(r.getReason() + ": " + what);
      default ->
          throw new UncheckedIOException(
              new IOException(
                  (r.getReason().isEmpty() ? "" : r.getReason() + ": ")
                      + what
                      + (r.getRetryable() ? " (retryable)" : "")));
    }
  }
}
