package dev.quarry.worker.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what a task's function prints to {@code System.out} and {@code System.err}, per thread:
 * {@link #install()} replaces both streams once with streams that write to the buffer of the
 * current thread's {@link Capture} while one is open, and to the streams they replaced otherwise.
 * Tasks of several invocations running on different threads of one JVM therefore never mix, and
 * whatever stdout was before (for the local worker, stderr: its real stdout is the protocol pipe,
 * which it writes through its own file descriptor stream) receives everything else unchanged.
 * Output of threads that a function starts itself is not captured.
 */
public final class OutputCapture {
  /** What one task keeps of its output; the rest is counted and dropped. */
  public static final int DEFAULT_LIMIT = 1024 * 1024;

  private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();
  private static boolean installed;

  private OutputCapture() {}

  /** Replaces {@code System.out} and {@code System.err} with routing streams (once per JVM). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    System.setOut(routing(System.out));
    System.setErr(routing(System.err));
    installed = true;
  }

  /** A stream that writes to the current thread's capture, else to {@code original}. */
  static PrintStream routing(PrintStream original) {
    return new PrintStream(new Router(original), true, original.charset());
  }

  /**
   * Starts capturing this thread's output, keeping at most {@code limit} bytes.
   *
   * @throws IllegalStateException if this thread already captures
   */
  public static Capture start(int limit) {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("this thread already captures its output");
    }
    Capture c = new Capture(limit);
    CURRENT.set(c);
    return c;
  }

  /** One thread's captured output; closing it stops the capture. */
  public static final class Capture implements AutoCloseable {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;

    private Capture(int limit) {
      this.limit = limit;
    }

    private void write(byte[] b, int off, int len) {
      int room = (int) Math.min(len, limit - kept.size());
      if (room > 0) {
        kept.write(b, off, room);
      }
      dropped += len - Math.max(room, 0);
    }

    /** The output kept, followed by a {@code ...[truncated N bytes]} line if some was dropped. */
    public byte[] bytes() {
      if (dropped == 0) {
        return kept.toByteArray();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(kept.size() + 40);
      out.writeBytes(kept.toByteArray());
      out.writeBytes(("\n...[truncated " + dropped + " bytes]\n").getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }

    @Override
    public void close() {
      if (CURRENT.get() == this) {
        CURRENT.remove();
      }
    }
  }

  /** Writes to the current thread's capture, or to the original stream. */
  private static final class Router extends OutputStream {
    private final PrintStream original;

    Router(PrintStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      Capture c = CURRENT.get();
      if (c != null) {
        c.write(b, off, len);
      } else {
        original.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      if (CURRENT.get() == null) {
        original.flush();
      }
    }
  }
}
