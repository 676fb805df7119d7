package dev.quarry.server.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A static HTTP server on 127.0.0.1 (ephemeral port) for maps over URLs: answers {@code HEAD} with
 * {@code Content-Length}, {@code ETag} and (unless the path was added without) {@code
 * Accept-Ranges: bytes}, and {@code GET} with one {@code Range: bytes=a-b} as 206. {@code
 * /redirect} answers 302. Records every request as {@code METHOD path range}.
 */
final class RangeHttpServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ranges = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  RangeHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code body} at {@code path}, with byte ranges or without. */
  RangeHttpServer add(String path, byte[] body, boolean withRanges) {
    bodies.put(path, body);
    ranges.put(path, withRanges);
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String range = x.getRequestHeaders().getFirst("Range");
      requests.add(x.getRequestMethod() + " " + path + " " + range);
      if (path.equals("/redirect")) {
        x.getResponseHeaders().set("Location", url("/corpus.txt"));
        x.sendResponseHeaders(302, -1);
        return;
      }
      byte[] body = bodies.get(path);
      if (body == null) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      boolean withRanges = ranges.get(path);
      if (withRanges) {
        x.getResponseHeaders().set("Accept-Ranges", "bytes");
      }
      x.getResponseHeaders().set("ETag", "\"" + body.length + "-" + path.hashCode() + "\"");
      if (x.getRequestMethod().equals("HEAD")) {
        x.getResponseHeaders().set("Content-Length", Long.toString(body.length));
        x.sendResponseHeaders(200, -1);
        return;
      }
      int from = 0;
      int to = body.length - 1;
      int status = 200;
      Matcher m = range == null || !withRanges ? null : RANGE.matcher(range);
      if (m != null && m.matches()) {
        from = Integer.parseInt(m.group(1));
        to = m.group(2).isEmpty() ? to : Math.min(to, Integer.parseInt(m.group(2)));
        if (from > to) {
          x.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
          x.sendResponseHeaders(416, -1);
          return;
        }
        status = 206;
        x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
      }
      int length = to - from + 1;
      x.sendResponseHeaders(status, length == 0 ? -1 : length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body, from, length);
      } catch (IOException e) {
        // the reader closed early (it had its lines)
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
