package dev.quarry.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Sends a file of known size as numbered parts of {@code partSize} bytes (the last shorter), {@code
 * parallelism} in flight, each read from its position in the file. The first part to fail stops the
 * others and is rethrown.
 */
public final class ParallelUpload {
  /** Sends part {@code number} (from 1): {@code length} bytes of the file from {@code offset}. */
  public interface PartSender {
    String send(int number, long offset, long length);
  }

  /** A part sent: its number and the etag the server gave it. */
  public record Part(int number, String etag) {}

  private ParallelUpload() {}

  /** Parts of {@code partSize} bytes a {@code size}-byte file makes. */
  public static int partCount(long size, long partSize) {
    return (int) ((size + partSize - 1) / partSize);
  }

  /** The parts in order, once all are sent. */
  public static List<Part> run(
      long size, long partSize, int parallelism, PartSender sender, LongConsumer progress)
      throws InterruptedException {
    int parts = partCount(size, partSize);
    AtomicLong done = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallelism, parts), Thread.ofVirtual().name("quarry-upload-", 0).factory());
    try {
      List<Future<Part>> running = new ArrayList<>(parts);
      for (int p = 0; p < parts; p++) {
        int number = p + 1;
        long offset = p * partSize;
        long length = Math.min(partSize, size - offset);
        running.add(
            pool.submit(
                () -> {
                  String etag = sender.send(number, offset, length);
                  progress.accept(done.addAndGet(length));
                  return new Part(number, etag);
                }));
      }
      List<Part> sent = new ArrayList<>(parts);
      for (Future<Part> f : running) {
        sent.add(f.get());
      }
      return sent;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** {@code length} bytes of {@code file} from {@code offset}, as a stream. */
  public static InputStream range(Path file, long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      channel.position(offset);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    InputStream in = Channels.newInputStream(channel);
    return new InputStream() {
      private long left = length;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(buffer, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
