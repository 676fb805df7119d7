package dev.quarry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST calls of the benches: JSON in and out with an API key, any status from 300 fails. */
record BenchRest(String base, String key) {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The server of this JVM on {@code port} of 127.0.0.1. */
  static BenchRest local(String port, String key) {
    return new BenchRest("http://127.0.0.1:" + port, key);
  }

  /** Sends {@code body} (none when null) and reads the JSON answer. */
  JsonNode send(String method, String path, String body) throws Exception {
    return JSON.readTree(text(method, path, body));
  }

  /** Sends {@code body} (none when null) and reads the answer as text. */
  String text(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
