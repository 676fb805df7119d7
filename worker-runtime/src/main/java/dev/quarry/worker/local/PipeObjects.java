package dev.quarry.worker.local;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.ListedObject;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.worker.WorkerObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A local worker's view of its tenant's Storage API objects: every call goes over the pipe to the
 * backend, which runs it as the tenant of the invocation the worker is running (and refuses it when
 * that invocation is not the one named).
 */
final class PipeObjects implements WorkerObjects {
  private final WorkerPipe pipe;
  private final Supplier<String> invocation;

  PipeObjects(WorkerPipe pipe, Supplier<String> invocation) {
    this.pipe = pipe;
    this.invocation = invocation;
  }

  @Override
  public WorkerObjects forInvocation(String invocationId) {
    return new PipeObjects(pipe, () -> invocationId);
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
    StorageReply r = pipe.call(call.setInvocationId(invocation.get()));
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
