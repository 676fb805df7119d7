package dev.quarry.server.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container health check for images without curl or a shell: {@code java -cp /app/classes
 * dev.quarry.server.observability.HealthProbe [url]} exits 0 when the server answers 200 on its
 * readiness endpoint, 1 otherwise. The default URL is the REST port's {@code /readyz} ({@code
 * QUARRY_HTTP_PORT}, default 8080). No Spring: it starts in a fraction of a second.
 */
public final class HealthProbe {
  private HealthProbe() {}

  public static void main(String[] args) {
    String port = System.getenv().getOrDefault("QUARRY_HTTP_PORT", "8080");
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/readyz";
    System.exit(check(URI.create(url), Duration.ofSeconds(3)) ? 0 : 1);
  }

  /** Whether {@code url} answers 200 within {@code timeout}; never throws. */
  static boolean check(URI url, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }
}
