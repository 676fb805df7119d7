package dev.quarry.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request byte for byte, as a hostile client would (no URL or header checks on this
 * side), and reads the whole answer of a {@code Connection: close} exchange.
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String headers, String body) {
    boolean isJsonError() {
      return headers.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json")
          && body.startsWith("{\"code\":\"") && body.contains("\"retryable\":");
    }
  }

  static Answer send(int port, String method, String target, String extraHeaders, byte[] body)
      throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + extraHeaders + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n")
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
      String text = new String(all, StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String rest = split < 0 ? "" : text.substring(split + 4);
      if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        rest = dechunk(rest);
      }
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
      return new Answer(status, head, rest);
    }
  }

  static Answer get(int port, String target, String extraHeaders) throws IOException {
    return send(port, "GET", target, extraHeaders, new byte[0]);
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < chunked.length()) {
      int eol = chunked.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
