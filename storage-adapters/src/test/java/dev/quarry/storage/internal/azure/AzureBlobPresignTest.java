package dev.quarry.storage.internal.azure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.AzuriteFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Service SAS URLs against Azurite: one blob, one permission, until they expire. */
class AzureBlobPresignTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static AzuriteFixture azurite;

  @BeforeAll
  static void startAzurite() throws Exception {
    azurite = AzuriteFixture.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static int status(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpRequest.Builder put(URI url, String body) {
    return HttpRequest.newBuilder(url)
        .header("x-ms-blob-type", "BlockBlob")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void sasUrlsOpenExactlyTheirBlobWithTheirPermissionUntilTheyExpire() throws Exception {
    try (ObjectStore store = ObjectStores.open("azure-blob", azurite.storeSettings("presign"))) {
      store.put("tenants/b/jobs/j/inputs/0", "b's input".getBytes(UTF_8));
      store.put("tenants/a/secret", "a's secret".getBytes(UTF_8));
      URI get = store.presign("tenants/b/jobs/j/inputs/0", false, Duration.ofMinutes(1)).get();
      URI write = store.presign("tenants/b/jobs/j/results/0", true, Duration.ofMinutes(1)).get();
      URI shortLived =
          store.presign("tenants/b/jobs/j/inputs/0", false, Duration.ofSeconds(6)).get();
      assertThat(status(HttpRequest.newBuilder(shortLived))).isEqualTo(200);

      assertThat(
              HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("b's input");
      // Azure requires the blob type on a Put Blob: the worker runtime always sends it
      // (on a client of its own: Azurite answers before reading the body, then drops the
      // connection)
      try (HttpClient once = HttpClient.newHttpClient()) {
        HttpRequest untyped =
            HttpRequest.newBuilder(write)
                .PUT(HttpRequest.BodyPublishers.ofString("untyped"))
                .build();
        assertThat(once.send(untyped, HttpResponse.BodyHandlers.discarding()).statusCode())
            .isEqualTo(400);
      }
      assertThat(status(put(write, "result"))).isEqualTo(201);
      assertThat(store.read("tenants/b/jobs/j/results/0")).hasValue("result".getBytes(UTF_8));
      // a second write through the same grant replaces the blob (a retried invocation)
      assertThat(status(put(write, "result 2"))).isEqualTo(201);
      assertThat(store.read("tenants/b/jobs/j/results/0")).hasValue("result 2".getBytes(UTF_8));

      // the same signature on another blob, a write with a read grant, a read with a write grant
      URI secret = store.presign("tenants/a/secret", false, Duration.ofMinutes(1)).get();
      URI other = URI.create(secret.toString().split("\\?")[0] + "?" + get.getRawQuery());
      assertThat(other).isNotEqualTo(secret);
      assertThat(status(HttpRequest.newBuilder(other))).isEqualTo(403);
      assertThat(status(put(get, "overwritten"))).isEqualTo(403);
      assertThat(status(HttpRequest.newBuilder(write))).isEqualTo(403);
      // a write grant cannot be turned into a read by editing its permissions
      URI widened = URI.create(write.toString().replace("sp=cw", "sp=rcw"));
      assertThat(status(HttpRequest.newBuilder(widened))).isEqualTo(403);

      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> status(HttpRequest.newBuilder(shortLived)) == 403);
      assertThat(store.read("tenants/b/jobs/j/inputs/0")).hasValue("b's input".getBytes(UTF_8));
      assertThat(store.read("tenants/a/secret")).hasValue("a's secret".getBytes(UTF_8));
    }
  }

  @Test
  void sasUrlsEncodeEveryAllowedKeyCharacter() throws Exception {
    try (ObjectStore store = ObjectStores.open("azure-blob", azurite.storeSettings("alphabet"))) {
      String key = "A-Z_a.z=0+9@x/tenant=t1/job@2/r+1/..dots";
      URI write = store.presign(key, true, Duration.ofMinutes(1)).get();
      assertThat(status(put(write, "all of them"))).isEqualTo(201);
      assertThat(store.read(key)).hasValue("all of them".getBytes(UTF_8));
      URI get = store.presign(key, false, Duration.ofMinutes(1)).get();
      assertThat(
              HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("all of them");
    }
  }
}
