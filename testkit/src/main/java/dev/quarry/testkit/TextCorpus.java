package dev.quarry.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * A deterministic text file for partitioning tests and benchmarks, whose line and word counts are
 * known from its generation, and a word counter over byte ranges of a file.
 *
 * <p>Lines hold 0 to 60 words from a fixed vocabulary, separated by a space or sometimes a tab and
 * spaces; about one line in 5,000 is 100 to 300 KiB long (longer than many split steps); some are
 * empty; the last line has no newline.
 */
public final class TextCorpus {
  /** What a file holds: its size, lines (the last one counted without its newline) and words. */
  public record Counts(long bytes, long lines, long words) {
    public Counts plus(Counts o) {
      return new Counts(bytes + o.bytes, lines + o.lines, words + o.words);
    }
  }

  private static final byte[][] VOCABULARY = vocabulary(4096, 7);

  private TextCorpus() {}

  /**
   * Writes at least {@code size} bytes of text to {@code file} (at most a long line more).
   *
   * @return what was written, counted while writing
   */
  public static Counts write(Path file, long size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long bytes = 0;
    long lines = 0;
    long words = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      while (bytes < size) {
        int n =
            random.nextInt(5000) == 0
                ? 15_000 + random.nextInt(30_000)
                : random.nextInt(random.nextInt(10) == 0 ? 1 : 61);
        for (int w = 0; w < n; w++) {
          if (w > 0) {
            if (random.nextInt(25) == 0) {
              out.write('\t');
              out.write(' ');
              out.write(' ');
              bytes += 3;
            } else {
              out.write(' ');
              bytes++;
            }
          }
          byte[] word = VOCABULARY[random.nextInt(VOCABULARY.length)];
          out.write(word);
          bytes += word.length;
        }
        words += n;
        out.write('\n');
        bytes++;
        lines++;
      }
      byte[] last = "last line without newline".getBytes(StandardCharsets.US_ASCII);
      out.write(last);
      return new Counts(bytes + last.length, lines + 1, words + 4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lines and words of bytes {@code [start, end)} of {@code file} in one pass: a word is a run of
   * bytes other than space, tab, CR and LF; a last line without a newline counts.
   */
  public static Counts count(Path file, long start, long end) {
    Counter counter = new Counter();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = start;
      while (pos < end) {
        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
        int n = ch.read(buf, pos);
        if (n < 0) {
          break;
        }
        counter.update(buf.array(), n);
        pos += n;
      }
      return counter.counts();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines and words of what {@code in} holds, as {@link #count(Path, long, long)} counts them. */
  public static Counts count(InputStream in) throws IOException {
    Counter counter = new Counter();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      counter.update(buf, n);
    }
    return counter.counts();
  }

  /** A word and line count fed a buffer at a time. */
  private static final class Counter {
    private long bytes;
    private long lines;
    private long words;
    private boolean inWord;
    private int last = '\n';

    void update(byte[] buf, int n) {
      for (int i = 0; i < n; i++) {
        int b = buf[i];
        boolean space = b == ' ' || b == '\n' || b == '\t' || b == '\r';
        if (!space && !inWord) {
          words++;
        }
        inWord = !space;
        if (b == '\n') {
          lines++;
        }
        last = b;
      }
      bytes += n;
    }

    Counts counts() {
      return new Counts(bytes, bytes > 0 && last != '\n' ? lines + 1 : lines, words);
    }
  }

  private static byte[][] vocabulary(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] words = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] w = new byte[1 + random.nextInt(12)];
      for (int j = 0; j < w.length; j++) {
        w[j] = (byte) ('a' + random.nextInt(26));
      }
      words[i] = w;
    }
    return words;
  }
}
