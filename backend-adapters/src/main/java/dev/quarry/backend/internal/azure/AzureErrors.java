package dev.quarry.backend.internal.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.management.exception.ManagementException;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Classifies Azure failures: 429, 503 and other 5xx, resets and timeouts are {@code TRANSIENT};
 * 400, 401, 403 and 404 (bad key or credential, no such app or function) are {@code PERMANENT} with
 * Azure's message; a 500 from the function host (the function's instance failed) is a {@code
 * CRASH}, which costs an attempt.
 */
final class AzureErrors {

  private AzureErrors() {}

  /** A management or token call's failure. */
  static BackendException management(Throwable error, String what) {
    Throwable e = unwrap(error);
    if (e instanceof BackendException b) {
      return b;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      // the token call's failure arrives as azure-core's or as MSAL's exception, by path
      if (c instanceof ClientAuthenticationException
          || (c.getMessage() != null && c.getMessage().contains("AADSTS"))) {
        return new BackendException(
            Kind.PERMANENT,
            what + ": Microsoft Entra refused the credential: " + c.getMessage(),
            e);
      }
    }
    if (e instanceof ManagementException m) {
      int status = m.getResponse() == null ? 0 : m.getResponse().getStatusCode();
      String code = m.getValue() == null ? "" : m.getValue().getCode();
      String message = m.getValue() == null ? m.getMessage() : m.getValue().getMessage();
      return new BackendException(
          kindOf(status, false), what + ": " + code + " (HTTP " + status + "): " + message, m);
    }
    if (e instanceof IOException || e instanceof java.io.UncheckedIOException) {
      return new BackendException(Kind.TRANSIENT, what + ": " + e, e);
    }
    if (e instanceof RuntimeException && e.getCause() instanceof IOException io) {
      return new BackendException(Kind.TRANSIENT, what + ": " + io, e);
    }
    return new BackendException(Kind.TRANSIENT, what + ": " + e, e);
  }

  /** An HTTP trigger call that answered {@code status}. */
  static BackendException invoke(int status, String body, String app) {
    String detail = body.isBlank() ? "" : ": " + abbreviate(body);
    String message =
        switch (status) {
          case 401, 403 ->
              "the function app "
                  + app
                  + " refused the function key (HTTP "
                  + status
                  + ")"
                  + detail;
          case 404 -> "no function quarry-worker in app " + app + " (HTTP 404)" + detail;
          case 429 -> "Azure Functions throttled the call to " + app + " (HTTP 429)";
          case 500 ->
              "the function host of " + app + " reported the worker failed (HTTP 500)" + detail;
          default -> "the function app " + app + " answered HTTP " + status + detail;
        };
    return new BackendException(kindOf(status, true), message);
  }

  /** A call that got no answer (reset, refused, timed out). */
  static BackendException unanswered(Throwable error, String app) {
    Throwable e = unwrap(error);
    String what = e instanceof HttpTimeoutException ? "timed out" : "failed: " + e;
    return new BackendException(Kind.TRANSIENT, "the call to " + app + " " + what, e);
  }

  static Kind kindOf(int status, boolean fromHost) {
    if (status == 500 && fromHost) {
      return Kind.CRASH;
    }
    if (status == 429 || status == 408 || status >= 500 || status == 0) {
      return Kind.TRANSIENT;
    }
    return Kind.PERMANENT;
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
