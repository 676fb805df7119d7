package dev.quarry.emulator.child;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;

/**
 * A child JVM's stdout and stderr, which it appends to a file, read line by line at invocation
 * boundaries. A file rather than a pipe lets the reader know it has seen everything written before
 * the runtime posted its response: whatever the file holds at that moment.
 */
public final class ChildOutput implements AutoCloseable {

  /** Enough for a 4 KB tail. */
  private static final int KEPT_BYTES = 8 * 1024;

  /** Longer lines are split, so a child printing without newlines cannot exhaust memory. */
  private static final int MAX_LINE_BYTES = 64 * 1024;

  private static final long TRUNCATE_AT = 4L * 1024 * 1024;

  private final FileChannel channel;
  private final Logger log;
  private final String prefix;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long position;

  public ChildOutput(Path file, Logger log, String prefix) throws IOException {
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.log = log;
    this.prefix = prefix;
  }

  /**
   * Reads what was written since the last call and returns its last lines (at most {@value
   * #KEPT_BYTES} bytes of them); every line is also logged at DEBUG.
   *
   * @param flushPartial whether an unterminated last line counts as a line
   */
  public synchronized List<String> drain(boolean flushPartial) {
    ArrayDeque<String> kept = new ArrayDeque<>();
    int[] keptBytes = {0};
    try {
      if (!channel.isOpen()) {
        return List.of();
      }
      long size = channel.size();
      if (size < position) {
        position = 0;
      }
      while (position < size) {
        buffer.clear();
        int n = channel.read(buffer, position);
        if (n <= 0) {
          break;
        }
        position += n;
        split(buffer.array(), n, kept, keptBytes);
      }
      if (flushPartial && partial.size() > 0) {
        emit(partial.toString(StandardCharsets.UTF_8), kept, keptBytes);
        partial.reset();
      }
      if (position > TRUNCATE_AT && partial.size() == 0) {
        channel.truncate(0);
        position = 0;
      }
    } catch (IOException e) {
      log.debug("{} cannot read output: {}", prefix, e.toString());
    }
    return List.copyOf(kept);
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{} cannot close output: {}", prefix, e.toString());
    }
  }

  private void split(byte[] data, int length, ArrayDeque<String> kept, int[] keptBytes) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (data[i] == '\n') {
        partial.write(data, start, i - start);
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        emit(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, kept, keptBytes);
        start = i + 1;
      }
    }
    partial.write(data, start, length - start);
    if (partial.size() > MAX_LINE_BYTES) {
      emit(partial.toString(StandardCharsets.UTF_8), kept, keptBytes);
      partial.reset();
    }
  }

  private void emit(String line, ArrayDeque<String> kept, int[] keptBytes) {
    if (log.isDebugEnabled()) {
      log.debug("{} {}", prefix, line);
    }
    kept.addLast(line);
    keptBytes[0] += line.length() + 1;
    while (keptBytes[0] > KEPT_BYTES && kept.size() > 1) {
      keptBytes[0] -= kept.removeFirst().length() + 1;
    }
  }
}
