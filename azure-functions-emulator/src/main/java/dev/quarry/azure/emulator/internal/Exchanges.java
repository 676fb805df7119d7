package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading and answering JDK HTTP server exchanges, the way Azure's front ends answer. */
final class Exchanges {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Request bodies beyond this are refused with 413. */
  static final int MAX_JSON_BODY = 4 * 1024 * 1024;

  private Exchanges() {}

  static byte[] body(HttpExchange ex, int max) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new ArmError(413, "RequestEntityTooLarge", "The request body is too large.");
      }
      return b;
    }
  }

  /** At most this much of an unread request body is read (and dropped) before an answer. */
  static final long MAX_DRAIN = 64L * 1024 * 1024;

  /** Reads what is left of the request body; false if more than {@link #MAX_DRAIN} was left. */
  private static boolean drainRequest(HttpExchange ex) {
    InputStream in = ex.getRequestBody();
    byte[] buffer = new byte[8192];
    long left = MAX_DRAIN;
    try {
      int n;
      while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
        if (left == 0) {
          return in.read() < 0;
        }
      }
      return true;
    } catch (IOException e) {
      return true; // read and closed already (body() closes it)
    }
  }

  static JsonNode json(HttpExchange ex) throws IOException {
    byte[] b = body(ex, MAX_JSON_BODY);
    if (b.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(b);
    } catch (RuntimeException e) {
      throw new ArmError(400, "InvalidRequestContent", "The request content was invalid.");
    }
  }

  /**
   * Answers {@code ex}. What is left of the request body is read first: the client sends its next
   * request on the kept-alive connection as soon as this answer arrives, and the JDK server's drain
   * after the answer could read that request's bytes into its TLS buffer, where nothing looks for
   * them (the request then waited for the idle timeout to close the connection). A body beyond
   * {@link #MAX_DRAIN} is not read; the connection closes after the answer instead.
   */
  static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    if (!drainRequest(ex)) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.getResponseHeaders()
        .set(
            "Date",
            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
    if (body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      // ends the exchange (draining an unread request body) so the connection can be reused
      ex.close();
    } else {
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  static void json(HttpExchange ex, int status, JsonNode node) throws IOException {
    send(
        ex,
        status,
        Map.of("Content-Type", "application/json; charset=utf-8"),
        JSON.writeValueAsBytes(node));
  }

  static void error(HttpExchange ex, ArmError e) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    json(ex, e.status(), root);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
