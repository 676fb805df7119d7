package dev.quarry.client.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Reads one planned range of an HTTP(S) URL in the worker: checks the URL again ({@link UrlGuard}),
 * sends a Range GET without following redirects, and keeps exactly the lines whose first byte lies
 * in {@code [start, end)} — it skips the partial line at {@code start} and reads past {@code end}
 * to finish the last line (at most {@value #MAX_LINE} bytes), as the server's planner does for
 * stored objects, so every line is read by exactly one range.
 */
public final class UrlRanges {
  /** Longest line a range reads past its end. */
  public static final int MAX_LINE = 1 << 20;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(CONNECT_TIMEOUT)
          .build();

  private UrlRanges() {}

  /**
   * The lines of {@code url} starting in {@code [start, end)}.
   *
   * @param size the URL's length when planned, or -1 when unknown (then the range is the whole)
   * @param etag the URL's ETag when planned ("" if none); a different one fails the read
   * @param privateAllowed whether the server's operator allowed the URL's host to be private
   * @throws UncheckedIOException if the URL is refused, answers other than 200/206, or changed
   */
  public static InputStream open(
      URI url, long start, long end, long size, String etag, boolean privateAllowed) {
    UrlGuard guard = new UrlGuard(privateAllowed ? List.of(url.getHost()) : List.of());
    try {
      guard.check(url.toString());
    } catch (UrlGuard.RefusedException e) {
      throw new UncheckedIOException(new IOException("refused " + url + ": " + e.getMessage()));
    }
    boolean whole = start == 0 && (size < 0 || end >= size);
    long from = start == 0 ? 0 : start - 1;
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET();
    if (!whole) {
      long to = Math.min(size - 1, end - 1 + MAX_LINE);
      request.header("Range", "bytes=" + from + "-" + to);
    }
    try {
      HttpResponse<InputStream> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      int expected = whole ? 200 : 206;
      if (response.statusCode() != expected) {
        response.body().close();
        throw new IOException(
            "GET " + url + " answered " + response.statusCode() + ", expected " + expected);
      }
      String now = response.headers().firstValue("ETag").orElse("");
      if (!etag.isEmpty() && !now.isEmpty() && !now.equals(etag)) {
        response.body().close();
        throw new IOException(url + " changed since the map was planned (ETag " + now + ")");
      }
      return new Lines(
          new BufferedInputStream(response.body(), 1 << 16),
          from,
          start,
          size < 0 ? Long.MAX_VALUE : end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted reading " + url, e));
    }
  }

  /** The lines starting in {@code [start, end)} of a stream positioned at {@code from}. */
  static final class Lines extends InputStream {
    private final InputStream in;
    private final long start;
    private final long end;
    private long pos;
    private int last = '\n';
    private boolean begun;
    private boolean done;

    Lines(InputStream in, long from, long start, long end) {
      this.in = in;
      this.pos = from;
      this.start = start;
      this.end = end;
    }

    /** Skips to the first line starting at or after {@code start}; done if none before end. */
    private void begin() throws IOException {
      begun = true;
      if (start == 0) {
        return;
      }
      // the byte at pos (start - 1) ends the line before when it is a newline
      while (pos <= end - 2) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        pos++;
        if (b == '\n') {
          return;
        }
      }
      done = true;
    }

    @Override
    public int read() throws IOException {
      if (!begun) {
        begin();
      }
      if (done || pos >= end && last == '\n') {
        done = true;
        return -1;
      }
      if (pos - end >= MAX_LINE) {
        throw new IOException("a line runs more than " + MAX_LINE + " bytes past its range");
      }
      int b = in.read();
      if (b < 0) {
        done = true;
        return -1;
      }
      pos++;
      last = b;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = 0;
      while (n < len) {
        int b = read();
        if (b < 0) {
          return n == 0 ? -1 : n;
        }
        buf[off + n++] = (byte) b;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
