package dev.quarry.worker.internal;

import dev.quarry.worker.WorkerObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Lambda worker's view of its tenant's Storage API objects: it holds no storage credentials and
 * has no channel to the server, so it calls the server's REST Storage API with the invocation's
 * token ({@code qf_...}), which opens only {@code /v1/storage/**} of the invocation's tenant and
 * stops working when the invocation ends. Reads are ranged requests of at most {@link #MAX_READ}
 * bytes. The token is never put in an exception message or a log line.
 */
public final class HttpObjects implements WorkerObjects {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 64 << 10;

  private final String baseUrl;
  private final String token;

  /**
   * @param baseUrl the server's public URL (no trailing slash needed)
   * @param token the invocation's bearer token
   */
  public HttpObjects(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  @Override
  public Optional<Part> read(String bucket, String key, long offset, int length) {
    int n = Math.max(0, Math.min(length, MAX_READ));
    HttpRequest.Builder head = request(objectUri(bucket, key)).method("HEAD", noBody());
    HttpResponse<byte[]> info = send(head, bucket, key);
    if (info.statusCode() == 404) {
      return Optional.empty();
    }
    check(info, bucket, key);
    long size = info.headers().firstValueAsLong("Content-Length").orElse(0);
    String etag = info.headers().firstValue("ETag").orElse("");
    if (n == 0 || offset >= size) {
      return Optional.of(new Part(size, etag, new byte[0]));
    }
    HttpRequest.Builder get =
        request(objectUri(bucket, key))
            .header("Range", "bytes=" + offset + "-" + (offset + n - 1))
            .GET();
    HttpResponse<byte[]> r = send(get, bucket, key);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    check(r, bucket, key);
    return Optional.of(
        new Part(
            size,
            r.headers().firstValue("ETag").orElse(etag),
            r.body() == null ? new byte[0] : r.body()));
  }

  @Override
  public void write(String bucket, String key, byte[] data) {
    check(
        send(
            request(objectUri(bucket, key))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)),
            bucket,
            key),
        bucket,
        key);
  }

  @Override
  public Page list(String bucket, String prefix, String pageToken) {
    String query =
        "?prefix="
            + URLEncoder.encode(prefix, StandardCharsets.UTF_8)
            + (pageToken.isEmpty()
                ? ""
                : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = send(request(bucketUri(bucket, query)).GET(), bucket, prefix);
    check(r, bucket, prefix);
    JsonNode page = JSON.readTree(r.body());
    List<Entry> entries = new ArrayList<>();
    for (JsonNode o : page.path("objects")) {
      entries.add(
          new Entry(o.path("key").asString(), o.path("size").asLong(), o.path("etag").asString()));
    }
    JsonNode next = page.get("nextPageToken");
    return new Page(entries, next == null || next.isNull() ? "" : next.asString());
  }

  @Override
  public boolean delete(String bucket, String key) {
    String body = JSON.createObjectNode().set("delete", JSON.createArrayNode().add(key)).toString();
    HttpResponse<byte[]> r =
        send(
            request(bucketUri(bucket, ""))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)),
            bucket,
            key);
    check(r, bucket, key);
    return JSON.readTree(r.body()).path("deleted").asInt() > 0;
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
  }

  private URI objectUri(String bucket, String key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("INVALID_OBJECT_NAME: the key must not be empty");
    }
    StringBuilder path = new StringBuilder(baseUrl).append("/v1/storage/").append(segment(bucket));
    for (String part : key.split("/", -1)) {
      path.append('/').append(segment(part));
    }
    return uri(path.toString());
  }

  private URI bucketUri(String bucket, String query) {
    return uri(baseUrl + "/v1/storage/" + segment(bucket) + query);
  }

  private static URI uri(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("INVALID_OBJECT_NAME: not a valid object name", e);
    }
  }

  /** One path segment, percent-encoded ({@link URLEncoder} encodes a space as '+'). */
  private static String segment(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("INVALID_OBJECT_NAME: empty bucket or key segment");
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request, String bucket, String key) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException("storage call on '" + bucket + "/" + key + "' failed (retryable)", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new IOException("interrupted during a storage call on '" + bucket + "/" + key + "'"));
    }
  }

  /** Turns a refusal into the exception {@link WorkerObjects} promises, by the API's reason. */
  private static void check(HttpResponse<byte[]> r, String bucket, String key) {
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String reason = "";
    String message = "HTTP " + status;
    byte[] body = r.body();
    if (body != null && body.length > 0 && body.length < MAX_ERROR_BODY) {
      try {
        JsonNode error = JSON.readTree(body);
        reason = error.path("reason").asString("");
        message = error.path("message").asString(message);
      } catch (RuntimeException e) {
        // not a JSON error (a proxy's page): keep the status
      }
    }
    String what = "'" + bucket + "/" + key + "': " + message;
    if (status == 401 || status == 403) {
      throw new SecurityException("storage call refused for " + what);
    }
    if (status == 400) {
      // a bad bucket, key or prefix (HEAD answers carry no body, hence no reason)
      throw new IllegalArgumentException(
          (reason.isEmpty() ? "INVALID_ARGUMENT" : reason) + ": " + what);
    }
    throw new UncheckedIOException(
        new IOException(
            (reason.isEmpty() ? "" : reason + ": ")
                + what
                + (status >= 500 || status == 429 ? " (retryable)" : "")));
  }
}
