package dev.quarry.server.grpc;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Hands the chunks of a client stream to a reader on another thread as an {@link InputStream},
 * holding at most {@value #CAPACITY} chunks: a writer that gets ahead waits, so gRPC stops asking
 * the client for more. The writer {@link #finish()}es or {@link #fail}s; a reader that stops early
 * {@link #close()}s, and the writer's next {@link #put} says so instead of waiting.
 */
final class ChunkPipe extends InputStream {
  static final int CAPACITY = 8;

  /** A client that sends nothing for this long has its put failed (and its bytes dropped). */
  static final long IDLE_SECONDS = 60;

  private static final ByteString END = ByteString.EMPTY;

  private final BlockingQueue<ByteString> chunks = new ArrayBlockingQueue<>(CAPACITY);
  private volatile boolean readerGone;
  private volatile @Nullable IOException failure;
  private ByteString current = END;
  private int position;

  /** Thrown to the writer when the reader has stopped. */
  static final class ReaderGone extends Exception {
    ReaderGone() {
      super("the reader stopped", null, false, false);
    }
  }

  /** Passes {@code chunk} on, waiting while the reader is behind. */
  void put(ByteString chunk) throws ReaderGone, InterruptedException {
    while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
      if (readerGone) {
        throw new ReaderGone();
      }
    }
  }

  /** No more chunks: the reader sees the end of the stream after the last one. */
  void finish() throws InterruptedException {
    try {
      put(END);
    } catch (ReaderGone e) {
      // the reader is done already
    }
  }

  /** The writer failed: the reader's next read throws {@code cause}. */
  void fail(IOException cause) {
    failure = cause;
    chunks.clear();
    chunks.offer(END);
  }

  @Override
  public int read() throws IOException {
    return nextChunk() ? current.byteAt(position++) & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!nextChunk()) {
      return -1;
    }
    int n = Math.min(len, current.size() - position);
    current.copyTo(b, position, off, n);
    position += n;
    return n;
  }

  /** Whether bytes are left in {@code current}, waiting for the next chunk if needed. */
  private boolean nextChunk() throws IOException {
    while (position == current.size()) {
      ByteString next;
      try {
        next = chunks.poll(IDLE_SECONDS, TimeUnit.SECONDS);
        if (next == null) {
          throw new IOException("no bytes from the client for " + IDLE_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the client's bytes");
      }
      IOException f = failure;
      if (f != null) {
        throw f;
      }
      if (next.isEmpty()) {
        chunks.offer(END); // stays at the end for later reads
        return false;
      }
      current = next;
      position = 0;
    }
    return true;
  }

  /** The reader is done (or gave up): the writer stops waiting. */
  @Override
  public void close() {
    readerGone = true;
    chunks.clear();
  }
}
