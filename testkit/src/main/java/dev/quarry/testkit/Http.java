package dev.quarry.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny REST client for tests: plain HTTP, as curl would send it, with a bearer key or none.
 *
 * <pre>{@code
 * Http admin = new Http("http://127.0.0.1:8080", apiKey);
 * Http.Response r = admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}");
 * String id = r.json().get("id").asString();
 * }</pre>
 */
public final class Http {
  /** The JSON mapper the kit reads and writes bodies with. */
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final @Nullable String key;

  /**
   * @param base {@code http://host:port}, without a trailing slash
   * @param key the API key sent as {@code Authorization: Bearer}, or null for none
   */
  public Http(String base, @Nullable String key) {
    this.base = base;
    this.key = key;
  }

  public @Nullable String key() {
    return key;
  }

  /** The same server with another key. */
  public Http withKey(@Nullable String other) {
    return new Http(base, other);
  }

  /** A status and a body read as text. */
  public record Response(int status, String body) {
    /** The body parsed as JSON. */
    public JsonNode json() {
      return JSON.readTree(body);
    }
  }

  /**
   * The job's results in input order (REST NDJSON), one object per line; waits until the job ends.
   *
   * @throws IllegalStateException if the server does not answer 200
   */
  public List<JsonNode> results(String job) throws IOException, InterruptedException {
    Response r = get("/v1/jobs/" + job + "/results?order=input");
    if (r.status() != 200) {
      throw new IllegalStateException("results of " + job + ": " + r.status() + " " + r.body());
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  public Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  public Response post(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response put(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  public Response postBytes(String path, byte[] body, String contentType)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
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
