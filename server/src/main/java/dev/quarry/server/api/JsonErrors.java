package dev.quarry.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link ErrorBody} answers outside Spring MVC (security filters, the firewall, the
 * container's error pages) exactly as the controllers' advice does.
 */
public final class JsonErrors {
  /** Seconds a client should wait after a 429 before trying again. */
  public static final String RETRY_AFTER_SECONDS = "1";
  /** Longest piece of caller input echoed back in a message. */
  public static final int MAX_ECHO = 200;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonErrors() {}

  public static void write(HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    write(response, code, code.httpStatus(), message, null);
  }

  /** Writes {@code code} with an explicit HTTP status (e.g. 405, which has no code of its own). */
  public static void write(
      HttpServletResponse response, ErrorCode code, int status, String message, @Nullable String reason)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    if (code == ErrorCode.RESOURCE_EXHAUSTED) {
      response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    byte[] body =
        JSON.writeValueAsString(new ErrorBody(code.name(), message, code.retryable(), reason))
            .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /** {@code text} cut to {@link #MAX_ECHO} characters, for echoing caller input in a message. */
  public static String clip(String text) {
    return text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "...(" + text.length() + " chars)" : text;
  }
}
