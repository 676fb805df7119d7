package dev.quarry.worker.internal;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The store of a worker that holds no storage credentials: every read and write goes over the
 * worker's channel to the server (the local worker pipe, a pull worker's stream), which checks the
 * key against the grant of the invocation the worker is running. Large objects travel in chunks.
 * Listing and deleting are not granted.
 */
public final class ChannelObjectStore extends InvocationScopedStore {
  public static final int CHUNK = 4 << 20;

  private final StoragePipe pipe;

  /**
   * @param pipe the worker's storage channel to the server
   */
  public ChannelObjectStore(StoragePipe pipe) {
    this.pipe = pipe;
  }

  @Override
  public void put(String key, byte[] data) {
    long max = pipe.maxWrite();
    if (data.length > max) {
      throw new StorageException(
          "object of " + data.length + " bytes exceeds the limit of " + max, false);
    }
    check(
        pipe.send(
            StorageCall.newBuilder()
                .setOp(StorageCall.Op.OP_WRITE)
                .setKey(key)
                .setData(ByteString.copyFrom(data))),
        key);
  }

  @Override
  public Optional<InputStream> open(String key) {
    StorageReply first = readChunk(key, 0);
    if (!first.getFound()) {
      return Optional.empty();
    }
    return Optional.of(new ChunkStream(key, first));
  }

  @Override
  public Optional<Long> size(String key) {
    StorageReply reply = readChunk(key, 0);
    return reply.getFound() ? Optional.of(reply.getSize()) : Optional.empty();
  }

  private StorageReply readChunk(String key, long offset) {
    StorageReply reply =
        pipe.send(
            StorageCall.newBuilder()
                .setOp(StorageCall.Op.OP_READ)
                .setKey(key)
                .setOffset(offset)
                .setLength(CHUNK));
    return check(reply, key);
  }

  private static StorageReply check(StorageReply reply, String key) {
    if (!reply.getError().isEmpty()) {
      throw new StorageException(
          (reply.getDenied() ? "access denied to '" + key + "': " : "") + reply.getError(),
          reply.getRetryable());
    }
    return reply;
  }

  /** The object's bytes, fetched chunk by chunk as they are consumed. */
  private final class ChunkStream extends InputStream {
    private final String key;
    private final long size;
    private byte[] chunk;
    private int pos;
    private long offset;

    ChunkStream(String key, StorageReply first) {
      this.key = key;
      this.size = first.getSize();
      this.chunk = first.getData().toByteArray();
      this.offset = chunk.length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == chunk.length) {
        if (offset >= size) {
          return -1;
        }
        StorageReply next = readChunk(key, offset);
        if (!next.getFound() || next.getData().isEmpty()) {
          throw new IOException("'" + key + "' changed or vanished while it was read");
        }
        chunk = next.getData().toByteArray();
        pos = 0;
        offset += chunk.length;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
