package dev.quarry.worker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.proto.v1.ObjectGrant;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.storage.StorageException;
import dev.quarry.testkit.AzuriteFixture;
import dev.quarry.testkit.S3Fixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's granted store reads and writes through the URLs each presigning store makes (S3 on
 * s3proxy, Azure Blob on Azurite) with the same requests, and reaches nothing else.
 */
class GrantedObjectStoreTest {
  private static S3Fixture s3;
  private static AzuriteFixture azurite;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Fixture.start();
    azurite = AzuriteFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void readsAndWritesThroughS3PresignedUrls() {
    Map<String, String> settings = s3.storeSettings("granted");
    settings.put("createBucket", "true");
    try (ObjectStore store = ObjectStores.open("s3", settings)) {
      readsAndWritesExactlyItsGrants(store);
    }
  }

  @Test
  void readsAndWritesThroughAzureBlobSasUrls() {
    try (ObjectStore store = ObjectStores.open("azure-blob", azurite.storeSettings("granted"))) {
      readsAndWritesExactlyItsGrants(store);
    }
  }

  private static void readsAndWritesExactlyItsGrants(ObjectStore store) {
    store.put("tenants/t/jobs/j/inputs/0", "input".getBytes(UTF_8));
    store.put("tenants/t/jobs/j/inputs/1", "not granted".getBytes(UTF_8));
    store.put("tenants/t/jobs/j/results/0", "old result".getBytes(UTF_8));
    Duration ttl = Duration.ofMinutes(2);
    GrantedObjectStore granted =
        new GrantedObjectStore(
            List.of(
                grant(store, "tenants/t/jobs/j/inputs/0", false, ttl),
                grant(store, "tenants/t/jobs/j/inputs/missing", false, ttl),
                grant(store, "tenants/t/jobs/j/results/0", true, ttl),
                grant(store, "tenants/t/jobs/j/results/1", true, ttl)));

    assertThat(granted.read("tenants/t/jobs/j/inputs/0")).hasValue("input".getBytes(UTF_8));
    assertThat(granted.read("tenants/t/jobs/j/inputs/missing")).isEmpty();
    granted.put("tenants/t/jobs/j/results/0", "new result".getBytes(UTF_8));
    granted.put("tenants/t/jobs/j/results/1", new byte[0]);

    assertThat(store.read("tenants/t/jobs/j/results/0")).hasValue("new result".getBytes(UTF_8));
    assertThat(store.read("tenants/t/jobs/j/results/1")).hasValue(new byte[0]);
    assertThatThrownBy(() -> granted.read("tenants/t/jobs/j/inputs/1"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not granted");
    assertThatThrownBy(() -> granted.put("tenants/t/jobs/j/inputs/0", new byte[1]))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not granted");
    // a read grant used for a write is refused by the store itself
    GrantedObjectStore forged =
        new GrantedObjectStore(
            List.of(
                grant(store, "tenants/t/jobs/j/inputs/0", false, ttl).toBuilder()
                    .setWrite(true)
                    .build()));
    assertThatThrownBy(() -> forged.put("tenants/t/jobs/j/inputs/0", new byte[1]))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("403");
    assertThat(store.read("tenants/t/jobs/j/inputs/0")).hasValue("input".getBytes(UTF_8));
  }

  private static ObjectGrant grant(ObjectStore store, String key, boolean write, Duration ttl) {
    return ObjectGrant.newBuilder()
        .setKey(key)
        .setWrite(write)
        .setUrl(store.presign(key, write, ttl).orElseThrow().toString())
        .build();
  }
}
