package dev.quarry.server.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny REST client for tests: plain HTTP, as curl would send it. */
final class Http {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;

  String key() {
    return key;
  }

  Http(String base, String key) {
    this.base = base;
    this.key = key;
  }

  Http withKey(String other) {
    return new Http(base, other);
  }

  record Response(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  Response post(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response put(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  Response postBytes(String path, byte[] body, String contentType)
      throws IOException, InterruptedException {
    return send(
        request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b;
  }

  private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }
}
