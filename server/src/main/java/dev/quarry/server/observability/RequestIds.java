package dev.quarry.server.observability;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Request ids: the caller's {@value #HEADER} when it is a short plain token, else a new one. The id
 * of the current request is in the logging context ({@value #MDC_KEY}, in every log line of the
 * JSON formats), is answered in the same header, is stored with a submitted job and reaches the log
 * lines of the workers that run it.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";

  /** Letters, digits and {@code . _ : -}, at most 64: safe in logs, headers and file names. */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /** {@code given} if it is a valid id, else a new one. */
  public static String accept(@Nullable String given) {
    return given != null && VALID.matcher(given).matches() ? given : generate();
  }

  /** A new id: 16 hex digits. */
  public static String generate() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** The id of the request this thread serves, or "" outside a request. */
  public static String current() {
    String id = MDC.get(MDC_KEY);
    return id == null ? "" : id;
  }
}
