package dev.quarry.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sends a request byte for byte, as a hostile client would (no URL or header checks on this side),
 * and reads the whole answer of a {@code Connection: close} exchange.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The status, the header block as text and the (de-chunked) body. */
  public record Answer(int status, String headers, String body) {
    /** A JSON error body of the server's shape ({@code {"code":..., "reason":..., ...}}). */
    public boolean isJsonError() {
      return headers.toLowerCase(Locale.ROOT).contains("content-type: application/json")
          && body.startsWith("{\"code\":\"")
          && body.contains("\"reason\":\"")
          && body.contains("\"retryable\":");
    }
  }

  /**
   * Sends {@code method target} with {@code extraHeaders} (each ending in CRLF) and {@code body}.
   */
  public static Answer send(
      int port, String method, String target, String extraHeaders, byte[] body) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(
        (method
                + " "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + extraHeaders
                + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "")
                + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    request.write(body);
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before reading everything; read what it said
      }
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String head = new String(all, 0, split < 0 ? all.length : split, StandardCharsets.ISO_8859_1);
      byte[] rest = split < 0 ? new byte[0] : Arrays.copyOfRange(all, split + 4, all.length);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        rest = dechunk(rest);
      }
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
      String text = new String(rest, StandardCharsets.UTF_8);
      return new Answer(status, head, text);
    }
  }

  public static Answer get(int port, String target, String extraHeaders) throws IOException {
    return send(port, "GET", target, extraHeaders, new byte[0]);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    byte[] crlf = {'\r', '\n'};
    while (i < chunked.length) {
      int eol = indexOf(chunked, crlf, i);
      if (eol < 0) {
        break;
      }
      String line = new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).trim();
      int size =
          Integer.parseInt(line.contains(";") ? line.substring(0, line.indexOf(';')) : line, 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, eol + 2, Math.min(size, chunked.length - eol - 2));
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
