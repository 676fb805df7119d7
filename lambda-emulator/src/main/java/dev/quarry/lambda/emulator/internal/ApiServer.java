package dev.quarry.lambda.emulator.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.emulator.http.Servers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Lambda REST API on {@code 127.0.0.1}: routes each request to its operation after verifying
 * its signature, and writes AWS-shaped errors.
 */
final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String FUNCTIONS = "/2015-03-31/functions";

  private final SigV4Verifier verifier;
  private final StatsRecorder stats;
  private final ControlPlane control;
  private final InvokeEndpoint invoke;
  private final String region;
  private final HttpServer server;

  ApiServer(
      SigV4Verifier verifier,
      StatsRecorder stats,
      ControlPlane control,
      InvokeEndpoint invoke,
      String region,
      Executor executor)
      throws IOException {
    this.verifier = verifier;
    this.stats = stats;
    this.control = control;
    this.invoke = invoke;
    this.region = region;
    keepConnectionsOpen();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  void start() {
    Servers.startAsDaemon(server);
  }

  /**
   * The JDK server closes idle keep-alive connections beyond 200 (and after 30 s), racing clients
   * that reuse them at high concurrency ("connection closed during the request"). Real Lambda keeps
   * them; so does the emulator. These properties are read once, when the JDK's server classes load,
   * so they only take effect if nothing in this JVM created an HttpServer before.
   */
  private static void keepConnectionsOpen() {
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
    }
    if (System.getProperty("sun.net.httpserver.idleInterval") == null) {
      System.setProperty("sun.net.httpserver.idleInterval", "300");
    }
  }

  URI endpoint() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
  }

  void stop() {
    server.stop(0);
  }

  /** An operation and the raw (still encoded) function name it addresses, if any. */
  private record Route(Operation operation, @Nullable String rawName) {}

  private void handle(HttpExchange ex) {
    String requestId = RequestIds.uuid();
    Response response;
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      response = dispatch(ex, body, requestId);
    } catch (ApiException e) {
      response = error(e);
    } catch (InterruptedException e) {
      response = error(ApiException.service(503, "The emulator is shutting down."));
    } catch (IOException e) {
      log.debug("cannot read request: {}", e.toString());
      ex.close();
      return;
    } catch (RuntimeException e) {
      log.warn("request {} failed", requestId, e);
      response = error(ApiException.service(500, "Internal error: " + e));
    }
    write(ex, response, requestId);
  }

  private Response dispatch(HttpExchange ex, byte[] body, String requestId)
      throws InterruptedException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    if (path.startsWith(ControlPlane.CODE_PATH) && method.equals("GET")) {
      return control.download(path.substring(ControlPlane.CODE_PATH.length()));
    }
    Route route = route(method, path);
    stats.apiCall(route.operation());
    verifier.verify(new ExchangeRequest(ex, body));
    Map<String, List<String>> query = QueryString.parse(ex.getRequestURI().getRawQuery());
    FunctionRef ref =
        route.rawName() == null
            ? null
            : FunctionRef.parse(
                QueryString.decode(route.rawName()), QueryString.first(query, "Qualifier"), region);
    Headers headers = ex.getRequestHeaders();
    return switch (route.operation()) {
      case Invoke -> invoke.invoke(required(ref), headers::getFirst, body, requestId);
      case CreateFunction -> control.create(body);
      case GetFunction -> control.get(required(ref));
      case GetFunctionConfiguration -> control.getConfiguration(required(ref));
      case UpdateFunctionCode -> control.updateCode(required(ref), body);
      case UpdateFunctionConfiguration -> control.updateConfiguration(required(ref), body);
      case DeleteFunction -> control.delete(required(ref));
      case ListFunctions -> control.list(query);
    };
  }

  private static Route route(String method, String path) {
    if (path.startsWith(FUNCTIONS)) {
      String rest = path.substring(FUNCTIONS.length());
      if (rest.isEmpty() || rest.equals("/")) {
        switch (method) {
          case "GET" -> {
            return new Route(Operation.ListFunctions, null);
          }
          case "POST" -> {
            return new Route(Operation.CreateFunction, null);
          }
          default -> {}
        }
      } else if (rest.charAt(0) == '/') {
        String[] parts = rest.substring(1).split("/", -1);
        String name = parts[0];
        if (!name.isEmpty() && parts.length == 1) {
          switch (method) {
            case "GET" -> {
              return new Route(Operation.GetFunction, name);
            }
            case "DELETE" -> {
              return new Route(Operation.DeleteFunction, name);
            }
            default -> {}
          }
        } else if (!name.isEmpty()
            && (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty()))) {
          Operation op =
              switch (method + " " + parts[1]) {
                case "GET configuration" -> Operation.GetFunctionConfiguration;
                case "PUT configuration" -> Operation.UpdateFunctionConfiguration;
                case "PUT code" -> Operation.UpdateFunctionCode;
                case "POST invocations" -> Operation.Invoke;
                default -> null;
              };
          if (op != null) {
            return new Route(op, name);
          }
        }
      }
    }
    throw new ApiException(
        404, "UnknownOperationException", "Unknown operation " + method + " " + path);
  }

  private static FunctionRef required(@Nullable FunctionRef ref) {
    if (ref == null) {
      throw new IllegalStateException("route without a function name");
    }
    return ref;
  }

  private static Response error(ApiException e) {
    ObjectNode body = Json.object();
    body.put("Type", e.status() >= 500 ? "Service" : "User");
    body.put("message", e.getMessage());
    body.put("Message", e.getMessage());
    e.bodyFields().forEach(body::put);
    Response json = Response.json(e.status(), body);
    Map<String, String> headers = new java.util.HashMap<>(json.headers());
    headers.put("X-Amzn-ErrorType", e.errorType());
    headers.putAll(e.headers());
    return new Response(e.status(), headers, json.body());
  }

  private static void write(HttpExchange ex, Response response, String requestId) {
    try (ex) {
      Headers h = ex.getResponseHeaders();
      h.set("x-amzn-RequestId", requestId);
      response.headers().forEach(h::set);
      byte[] body = response.body();
      if (body.length == 0) {
        ex.sendResponseHeaders(response.status(), -1);
      } else {
        ex.sendResponseHeaders(response.status(), body.length);
        ex.getResponseBody().write(body);
      }
    } catch (IOException e) {
      log.debug("cannot write response {}: {}", requestId, e.toString());
    }
  }

  /** A request as the SigV4 verifier sees it. */
  private record ExchangeRequest(HttpExchange ex, byte[] body) implements SigV4Verifier.Request {
    @Override
    public String method() {
      return ex.getRequestMethod();
    }

    @Override
    public String rawPath() {
      return ex.getRequestURI().getRawPath();
    }

    @Override
    public @Nullable String rawQuery() {
      return ex.getRequestURI().getRawQuery();
    }

    @Override
    public List<String> header(String name) {
      List<String> values = ex.getRequestHeaders().get(name);
      return values == null ? List.of() : values;
    }
  }
}
