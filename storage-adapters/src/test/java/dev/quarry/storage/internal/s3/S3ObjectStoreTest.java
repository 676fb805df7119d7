package dev.quarry.storage.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreContract;
import dev.quarry.storage.ObjectStores;
import dev.quarry.storage.StorageException;
import dev.quarry.testkit.S3Fixture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the contract against s3proxy (in-memory blob store) started in this JVM on 127.0.0.1. */
class S3ObjectStoreTest extends ObjectStoreContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static S3Fixture s3;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    s3 = S3Fixture.start();
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private static Map<String, String> settings(String bucket) {
    return s3.storeSettings(bucket);
  }

  @Override
  protected ObjectStore createStore() {
    Map<String, String> settings = settings("contract-" + BUCKETS.incrementAndGet());
    settings.put("createBucket", "true");
    settings.put("prefix", "quarry/data");
    settings.put("maxConnections", "16");
    return ObjectStores.open("s3", settings);
  }

  @Test
  void keysAreStoredUnderThePrefix() {
    Map<String, String> settings = settings("prefixed");
    settings.put("createBucket", "true");
    try (ObjectStore raw = ObjectStores.open("s3", settings)) {
      settings.put("prefix", "p1/");
      try (ObjectStore prefixed = ObjectStores.open("s3", settings)) {
        prefixed.put("a/b", new byte[] {1});
        raw.put("p10/c", new byte[] {2});

        assertThat(raw.list("")).containsExactly("p1/a/b", "p10/c");
        assertThat(prefixed.list("")).containsExactly("a/b");
        assertThat(prefixed.read("a/b")).isPresent();
      }
    }
  }

  @Test
  void missingBucketIsNotRetryable() {
    try (ObjectStore s = ObjectStores.open("s3", settings("no-such-bucket"))) {
      assertThatThrownBy(() -> s.put("k", new byte[1]))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
      assertThatThrownBy(() -> s.list(""))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void wrongCredentialsAreNotRetryable() {
    Map<String, String> settings = settings("contract-1");
    settings.put("secretAccessKey", "wrong");
    try (ObjectStore s = ObjectStores.open("s3", settings)) {
      assertThatThrownBy(() -> s.put("k", new byte[1]))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void unreachableEndpointIsRetryable() {
    Map<String, String> settings = settings("b");
    settings.put("endpoint", "http://127.0.0.1:1");
    try (ObjectStore s = ObjectStores.open("s3", settings)) {
      assertThatThrownBy(() -> s.read("k"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue());
    }
  }

  @Test
  void settingsAreCheckedAndSecretsNeverPrinted() {
    assertThatThrownBy(() -> ObjectStores.open("s3", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> S3Settings.parse(Map.of("bucket", "b", "accessKeyId", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Settings.parse(Map.of("bucket", "b", "prefix", "../x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Settings.parse(Map.of("bucket", "b", "maxConnections", "0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Settings.parse(Map.of("bucket", "b", "endpoint", "ftp://h")))
        .isInstanceOf(IllegalArgumentException.class);

    S3Settings parsed =
        S3Settings.parse(
            Map.of(
                "bucket", "b",
                "endpoint", "http://127.0.0.1:9000",
                "accessKeyId", "AKIDEXAMPLE",
                "secretAccessKey", "SECRET-VALUE",
                "sessionToken", "TOKEN-VALUE"));
    assertThat(parsed.pathStyle()).isTrue();
    assertThat(parsed.region()).isEqualTo("us-east-1");
    assertThat(parsed.maxConnections()).isEqualTo(64);
    assertThat(parsed.createBucket()).isFalse();
    assertThat(parsed.prefix()).isEmpty();
    assertThat(parsed.toString())
        .doesNotContain("SECRET-VALUE")
        .doesNotContain("TOKEN-VALUE")
        .doesNotContain("AKIDEXAMPLE");
    assertThat(S3Settings.parse(Map.of("bucket", "b")).pathStyle()).isFalse();
    assertThat(S3Settings.parse(Map.of("bucket", "b", "prefix", "x")).prefix()).isEqualTo("x/");
  }

  @Test
  void presignedUrlsOpenExactlyTheirObjectUntilTheyExpire() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try (ObjectStore store = createStore()) {
      store.put("tenants/b/jobs/j/inputs/0", "b's input".getBytes());
      store.put("tenants/a/secret", "a's secret".getBytes());
      java.net.URI get =
          store
              .presign("tenants/b/jobs/j/inputs/0", false, java.time.Duration.ofMinutes(1))
              .orElseThrow();
      java.net.URI put =
          store
              .presign("tenants/b/jobs/j/results/0", true, java.time.Duration.ofMinutes(1))
              .orElseThrow();
      java.net.URI expired =
          store
              .presign("tenants/b/jobs/j/inputs/0", false, java.time.Duration.ofSeconds(1))
              .orElseThrow();

      assertThat(
              http.send(
                      java.net.http.HttpRequest.newBuilder(get).build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("b's input");
      assertThat(
              http.send(
                      java.net.http.HttpRequest.newBuilder(put)
                          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("result"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertThat(new String(store.read("tenants/b/jobs/j/results/0").orElseThrow()))
          .isEqualTo("result");
      // the same signature on another key, a write with a read grant, a read with a write grant
      java.net.URI other =
          java.net.URI.create(
              get.toString()
                  .replace("jobs/j/inputs/0", "secret")
                  .replace("tenants/b", "tenants/a"));
      assertThat(
              http.send(
                      java.net.http.HttpRequest.newBuilder(other).build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              http.send(
                      java.net.http.HttpRequest.newBuilder(get)
                          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("overwritten"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(403);
      Thread.sleep(2100); // a signature's expiry has a one-second resolution
      assertThat(
              http.send(
                      java.net.http.HttpRequest.newBuilder(expired).build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(403);
      assertThat(new String(store.read("tenants/b/jobs/j/inputs/0").orElseThrow()))
          .isEqualTo("b's input");
    }
  }
}
