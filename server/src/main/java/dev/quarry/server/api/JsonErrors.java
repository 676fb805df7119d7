package dev.quarry.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link ErrorBody} answers outside Spring MVC (security filters, the firewall, the
 * container's error pages) exactly as the controllers' advice does.
 */
public final class JsonErrors {
  /** How long a client should wait after a 429 before trying again (gRPC: {@code RetryInfo}). */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** {@link #RETRY_AFTER} in seconds, for the {@code Retry-After} header. */
  public static final String RETRY_AFTER_SECONDS = Long.toString(RETRY_AFTER.toSeconds());

  /** Longest piece of caller input echoed back in a message. */
  public static final int MAX_ECHO = 200;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonErrors() {}

  public static void write(HttpServletResponse response, ApiException e) throws IOException {
    write(response, e.code().httpStatus(), ErrorBody.of(e));
  }

  public static void write(HttpServletResponse response, ErrorReason reason, String message)
      throws IOException {
    write(response, reason.code().httpStatus(), ErrorBody.of(reason, message));
  }

  /** Writes {@code body} with an explicit HTTP status (e.g. 405, which has no code of its own). */
  public static void write(HttpServletResponse response, int status, ErrorBody body)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    if (body.code().equals(ErrorCode.RESOURCE_EXHAUSTED.name())) {
      response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  /** {@code text} cut to {@link #MAX_ECHO} characters, for echoing caller input in a message. */
  public static String clip(String text) {
    return text.length() > MAX_ECHO
        ? text.substring(0, MAX_ECHO) + "...(" + text.length() + " chars)"
        : text;
  }
}
