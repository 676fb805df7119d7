package dev.quarry.client.fs;

import dev.quarry.client.QuarryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/** Channels over objects: reading streams from the server; writing uploads on close. */
final class ObjectChannels {
  private ObjectChannels() {}

  /**
   * Reads an object of known size, streaming from the current position; moving the position opens a
   * new range there.
   */
  static final class Reader implements SeekableByteChannel {
    private final QuarryStorage storage;
    private final String bucket;
    private final String key;
    private final long size;
    private @Nullable InputStream in;
    private long position;
    private boolean open = true;

    Reader(QuarryStorage storage, String bucket, String key, long size) {
      this.storage = storage;
      this.bucket = bucket;
      this.key = key;
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      ensureOpen();
      if (position >= size) {
        return -1;
      }
      if (in == null) {
        in = storage.openObject(bucket, key, position, 0);
      }
      byte[] buffer = new byte[Math.min(dst.remaining(), 64 * 1024)];
      int n = in.read(buffer);
      if (n < 0) {
        return -1;
      }
      dst.put(buffer, 0, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      ensureOpen();
      if (newPosition != position) {
        closeStream();
        position = newPosition;
      }
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      closeStream();
    }

    private void closeStream() throws IOException {
      if (in != null) {
        in.close();
        in = null;
      }
    }

    private void ensureOpen() throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
    }
  }

  /**
   * Writes to a temporary file and stores it as the object when closed: the object appears whole,
   * and only then. No random-access writes to an existing object: a write channel starts empty.
   */
  static final class Writer implements SeekableByteChannel {
    private final QuarryStorage storage;
    private final String bucket;
    private final String key;
    private final Path temp;
    private final FileChannel channel;

    Writer(QuarryStorage storage, String bucket, String key) throws IOException {
      this.storage = storage;
      this.bucket = bucket;
      this.key = key;
      this.temp = Files.createTempFile("quarry-fs", ".part");
      this.channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      channel.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      channel.truncate(size);
      return this;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      if (!channel.isOpen()) {
        return;
      }
      try {
        channel.close();
        storage.putObject(bucket, key, temp);
      } catch (RuntimeException e) {
        throw QuarryFileSystemProvider.ioFailure(e, bucket + "/" + key);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
