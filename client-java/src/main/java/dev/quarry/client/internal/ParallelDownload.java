package dev.quarry.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
 * Reads an object of known size into a file as ranged gets of {@code partSize} bytes, {@code
 * parallelism} in flight, each written at its position with a {@link FileChannel}. The opener asks
 * for the same version of the object for every part (the server refuses a part of another one), so
 * an overwrite during the download fails it instead of mixing two versions.
 */
public final class ParallelDownload {
  private static final int BUFFER = 1 << 20;

  /** Opens {@code length} bytes of the object from {@code offset}. */
  public interface RangeOpener {
    InputStream open(long offset, long length);
  }

  private ParallelDownload() {}

  /**
   * Writes the {@code size} bytes of the object to {@code target} (created or truncated).
   *
   * @throws IOException if the file cannot be written
   * @throws RuntimeException the first part's failure (e.g. a QuarryException)
   */
  public static void run(
      long size,
      long partSize,
      int parallelism,
      RangeOpener opener,
      Path target,
      LongConsumer progress)
      throws IOException, InterruptedException {
    try (FileChannel out =
        FileChannel.open(
            target,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long parts = (size + partSize - 1) / partSize;
      if (parts <= 1) {
        if (size > 0) {
          copy(opener.open(0, size), out, 0, size);
        }
        progress.accept(size);
        return;
      }
      AtomicLong done = new AtomicLong();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              (int) Math.min(parallelism, parts),
              Thread.ofVirtual().name("quarry-download-", 0).factory());
      try {
        List<Future<?>> running = new ArrayList<>();
        for (long p = 0; p < parts; p++) {
          long offset = p * partSize;
          long length = Math.min(partSize, size - offset);
          running.add(
              pool.submit(
                  () -> {
                    copy(opener.open(offset, length), out, offset, length);
                    progress.accept(done.addAndGet(length));
                    return null;
                  }));
        }
        for (Future<?> f : running) {
          f.get();
        }
      } catch (ExecutionException e) {
        rethrow(e.getCause());
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void copy(InputStream stream, FileChannel out, long offset, long length)
      throws IOException {
    try (InputStream in = stream) {
      byte[] buffer = new byte[(int) Math.min(BUFFER, length)];
      long position = offset;
      long end = offset + length;
      while (position < end) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
        if (n < 0) {
          throw new IOException(
              "the part at " + offset + " ended after " + (position - offset) + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
          position += out.write(b, position);
        }
      }
    }
  }

  private static void rethrow(Throwable cause) throws IOException {
    switch (cause) {
      case RuntimeException r -> throw r;
      case IOException io -> throw io;
      case Error e -> throw e;
      default -> throw new IllegalStateException(cause);
    }
  }
}
