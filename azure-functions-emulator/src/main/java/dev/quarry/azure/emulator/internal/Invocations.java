package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.quarry.azure.emulator.child.Frames;
import dev.quarry.emulator.faults.FaultInjector;
import dev.quarry.emulator.pool.InstancePool;
import dev.quarry.emulator.stats.InvocationCounters;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function app host's {@code /api/<function>} route: key check by the function's auth level,
 * injected faults, then the invocation on one of the function's instances. Status codes are the
 * host's: 401 without a valid key, 404 for an unknown function, 429/503 when throttled or down, 500
 * when the function threw, its instance crashed or overran.
 */
final class Invocations {

  private static final Logger log = LoggerFactory.getLogger(Invocations.class);

  private final InvocationCounters counters;
  private final FaultInjector faults;

  Invocations(InvocationCounters counters, FaultInjector faults) {
    this.counters = counters;
    this.faults = faults;
  }

  void handle(FunctionApp app, HttpExchange ex) throws IOException {
    try {
      run(app, ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Exchanges.send(ex, 503, Map.of(), new byte[0]);
    } catch (IOException | RuntimeException e) {
      log.warn("invocation on {} failed", app.name, e);
      Exchanges.send(ex, 500, Map.of(), new byte[0]);
    }
  }

  private void run(FunctionApp app, HttpExchange ex) throws IOException, InterruptedException {
    if (app.deleted()) {
      Exchanges.send(ex, 404, Map.of(), new byte[0]);
      return;
    }
    String path = ex.getRequestURI().getPath();
    if (!path.regionMatches(true, 0, "/api/", 0, 5) || path.length() == 5) {
      Exchanges.send(ex, 404, Map.of(), new byte[0]);
      return;
    }
    if (app.deployError().isPresent()) {
      Exchanges.send(
          ex,
          503,
          Map.of("Content-Type", "text/plain"),
          ("Function host is not running. " + app.deployError().get())
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    String name = path.substring(5).toLowerCase(Locale.ROOT);
    AppPackage pkg = app.pkg().orElse(null);
    AppPackage.FunctionDef fn = pkg == null ? null : pkg.functions().get(name);
    if (fn == null) {
      Exchanges.send(ex, 404, Map.of(), new byte[0]);
      return;
    }
    String key = key(ex);
    boolean allowed =
        switch (fn.authLevel()) {
          case "anonymous" -> true;
          case "admin" -> app.hostKey().equals(key);
          default -> app.keyOpens(fn.name(), key);
        };
    if (!allowed) {
      Exchanges.send(ex, 401, Map.of(), new byte[0]);
      return;
    }
    switch (faults.beforeInvoke()) {
      case THROTTLED -> {
        Exchanges.send(ex, 429, Map.of(), new byte[0]);
        return;
      }
      case UNAVAILABLE, SERVER_ERROR -> {
        boolean down = app.deployError().isEmpty();
        Exchanges.send(ex, down ? 503 : 500, Map.of(), new byte[0]);
        return;
      }
      case NONE -> {}
    }
    byte[] body = Exchanges.body(ex, Frames.MAX_BODY);
    InstancePool<Deployment, FunctionInstance> pool = app.pool(fn);
    InstancePool.Lease<FunctionInstance> lease;
    try {
      lease = pool.acquire();
    } catch (InstancePool.ClosedException e) {
      Exchanges.send(ex, 404, Map.of(), new byte[0]);
      return;
    }
    counters.invocation(lease.cold());
    int timeout = Math.min(pkg.functionTimeoutSeconds(), FunctionApp.HTTP_TRIGGER_LIMIT_SECONDS);
    FunctionInstance.Result r;
    String invocationId = UUID.randomUUID().toString();
    try {
      r =
          lease
              .instance()
              .run(app.frame(invocationId, ex, body), timeout, faults.crashThisInvocation());
    } finally {
      pool.release(lease.instance());
    }
    long delay = faults.responseDelayMillis();
    if (delay > 0) {
      Thread.sleep(delay);
    }
    Map<String, String> headers = new HashMap<>();
    headers.put("x-ms-invocation-id", invocationId);
    switch (r.kind()) {
      case ANSWERED -> {
        Frames.Message m = r.response();
        if (m.status() >= 500) {
          counters.functionError();
        }
        headers.putAll(m.headers());
        Exchanges.send(ex, m.status(), headers, m.body());
      }
      case CRASHED -> {
        counters.crash();
        Exchanges.send(ex, 500, headers, new byte[0]);
      }
      case TIMED_OUT -> {
        counters.timeout();
        Exchanges.send(
            ex,
            timeout == FunctionApp.HTTP_TRIGGER_LIMIT_SECONDS ? 504 : 500,
            headers,
            new byte[0]);
      }
    }
  }

  private static @Nullable String key(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("x-functions-key");
    if (header != null) {
      return header;
    }
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("code=")) {
          return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }
}
