package dev.quarry.lambda.emulator.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.emulator.http.Servers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda Runtime API ({@code /2018-06-01/runtime/...}) of one instance, on its own loopback
 * port, so every request is known to come from that instance's runtime.
 */
final class RuntimeApiServer {

  private static final Logger log = LoggerFactory.getLogger(RuntimeApiServer.class);
  private static final String PREFIX = "/2018-06-01/runtime/";
  private static final String INVOCATION = PREFIX + "invocation/";

  /** Largest response payload Lambda accepts for a synchronous invocation. */
  static final int MAX_RESPONSE_BYTES = 6_291_556;

  /** The instance behind the API. */
  interface Target {
    /** Blocks until an invocation is assigned; null once the instance is going away. */
    @Nullable Invocation next() throws InterruptedException;

    /** Called once the runtime has been sent {@code invocation}. */
    void delivered(Invocation invocation);

    /** False if {@code requestId} is not the invocation in progress. */
    boolean respond(String requestId, byte[] payload);

    /** False if {@code requestId} is not the invocation in progress. */
    boolean error(String requestId, @Nullable String errorType, byte[] errorJson);

    void initError(@Nullable String errorType, byte[] errorJson);
  }

  private final HttpServer server;
  private final Target target;
  private final int deadlineMillis;

  RuntimeApiServer(Target target, Executor executor, int timeoutSeconds) throws IOException {
    this.target = target;
    this.deadlineMillis = timeoutSeconds * 1000;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    Servers.startAsDaemon(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals(INVOCATION + "next") && method.equals("GET")) {
        next(ex);
      } else if (path.startsWith(INVOCATION)
          && path.endsWith("/response")
          && method.equals("POST")) {
        String id = path.substring(INVOCATION.length(), path.length() - "/response".length());
        if (body.length > MAX_RESPONSE_BYTES) {
          target.error(
              id,
              "Function.ResponseSizeTooLarge",
              InvocationOutcome.errorJson(
                  "Function.ResponseSizeTooLarge",
                  "Response payload size exceeded maximum allowed payload size ("
                      + MAX_RESPONSE_BYTES
                      + " bytes)."));
          reply(ex, 413, "Payload Too Large", "Response payload too large");
        } else if (target.respond(id, body)) {
          accepted(ex);
        } else {
          invalidRequestId(ex);
        }
      } else if (path.startsWith(INVOCATION) && path.endsWith("/error") && method.equals("POST")) {
        String id = path.substring(INVOCATION.length(), path.length() - "/error".length());
        String type = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        if (target.error(id, type, body)) {
          accepted(ex);
        } else {
          invalidRequestId(ex);
        }
      } else if (path.equals(PREFIX + "init/error") && method.equals("POST")) {
        target.initError(
            ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), body);
        accepted(ex);
      } else {
        reply(ex, 404, "NotFound", "Unknown Runtime API path: " + method + " " + path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.debug("runtime API exchange failed: {}", e.toString());
    }
  }

  private void next(HttpExchange ex) throws IOException, InterruptedException {
    Invocation inv = target.next();
    if (inv == null) {
      reply(ex, 410, "Gone", "The instance is shutting down");
      return;
    }
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "application/json");
    h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId);
    h.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + deadlineMillis));
    h.set("Lambda-Runtime-Invoked-Function-Arn", inv.functionArn);
    h.set("Lambda-Runtime-Trace-Id", RequestIds.traceId());
    if (inv.clientContext != null) {
      h.set("Lambda-Runtime-Client-Context", inv.clientContext);
    }
    ex.sendResponseHeaders(200, inv.payload.length == 0 ? -1 : inv.payload.length);
    if (inv.payload.length > 0) {
      ex.getResponseBody().write(inv.payload);
    }
    ex.close();
    target.delivered(inv);
  }

  private static void accepted(HttpExchange ex) throws IOException {
    byte[] ok = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(202, ok.length);
    ex.getResponseBody().write(ok);
  }

  private static void invalidRequestId(HttpExchange ex) throws IOException {
    reply(ex, 400, "InvalidRequestID", "Invalid request ID");
  }

  private static void reply(HttpExchange ex, int status, String type, String message)
      throws IOException {
    byte[] body = InvocationOutcome.errorJson(type, message);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }
}
