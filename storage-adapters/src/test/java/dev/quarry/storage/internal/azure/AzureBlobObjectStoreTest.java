package dev.quarry.storage.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreContract;
import dev.quarry.storage.ObjectStores;
import dev.quarry.storage.StorageException;
import dev.quarry.testkit.AzuriteFixture;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the contract against Azurite's blob service (one child process for the class), with small
 * block settings so that objects over 128 KB go through staged blocks.
 */
class AzureBlobObjectStoreTest extends ObjectStoreContract {

  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  static AzuriteFixture azurite;

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

  static Map<String, String> settings(String container) {
    Map<String, String> settings = azurite.storeSettings(container);
    settings.put("blockSize", "256KB");
    settings.put("maxSingleUpload", "128KB");
    return settings;
  }

  static String newContainer() {
    return "contract-" + CONTAINERS.incrementAndGet();
  }

  @Override
  protected ObjectStore createStore() {
    Map<String, String> settings = settings(newContainer());
    settings.put("prefix", "quarry/data");
    return ObjectStores.open("azure-blob", settings);
  }

  static BlobContainerClient rawContainer(String name) {
    return new BlobServiceClientBuilder()
        .endpoint(azurite.endpoint())
        .credential(
            new StorageSharedKeyCredential(AzuriteFixture.ACCOUNT, AzuriteFixture.ACCOUNT_KEY))
        .serviceVersion(AzureBlobObjectStoreProvider.SERVICE_VERSION)
        .buildClient()
        .getBlobContainerClient(name);
  }

  @Test
  void largeObjectsAreCommittedAsStagedBlocksAndRangesReadFromTheMiddle() throws Exception {
    String container = newContainer();
    byte[] data = randomBytes(1_000_000, 21);
    try (ObjectStore s = ObjectStores.open("azure-blob", settings(container))) {
      s.put("big/bytes", data);
      s.put("big/stream", new ByteArrayInputStream(data), data.length);
      s.put("small", Arrays.copyOf(data, 1000));

      BlobContainerClient raw = rawContainer(container);
      for (String name : new String[] {"big/bytes", "big/stream"}) {
        assertThat(
                raw.getBlobClient(name)
                    .getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED)
                    .getCommittedBlocks())
            .as(name)
            .hasSize(4); // 1,000,000 bytes in blocks of 256 KiB
        try (InputStream in = s.openRange(name, 700_000, 10_000).orElseThrow()) {
          assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 700_000, 710_000));
        }
      }
      assertThat(
              raw.getBlobClient("small")
                  .getBlockBlobClient()
                  .listBlocks(BlockListType.COMMITTED)
                  .getCommittedBlocks())
          .isEmpty(); // one Put Blob
      try (InputStream in = s.openRange("small", 5000, 10).orElseThrow()) {
        assertThat(in.readAllBytes()).isEmpty();
      }
    }
  }

  @Test
  void listingFollowsPages() {
    Map<String, String> settings = settings(newContainer());
    settings.put("listPageSize", "3");
    try (ObjectStore s = ObjectStores.open("azure-blob", settings)) {
      for (int i = 0; i < 10; i++) {
        s.put("paged/" + i, new byte[] {(byte) i});
      }
      s.put("other", new byte[1]);

      assertThat(s.list("paged/"))
          .containsExactly(
              "paged/0", "paged/1", "paged/2", "paged/3", "paged/4", "paged/5", "paged/6",
              "paged/7", "paged/8", "paged/9");
    }
  }

  @Test
  void keysAreStoredUnderThePrefix() {
    String container = newContainer();
    Map<String, String> settings = settings(container);
    try (ObjectStore raw = ObjectStores.open("azure-blob", settings)) {
      settings.put("prefix", "p1/");
      try (ObjectStore prefixed = ObjectStores.open("azure-blob", settings)) {
        prefixed.put("a/b", new byte[] {1});
        raw.put("p10/c", new byte[] {2});

        assertThat(raw.list("")).containsExactly("p1/a/b", "p10/c");
        assertThat(prefixed.list("")).containsExactly("a/b");
        assertThat(rawContainer(container).getBlobClient("p1/a/b").exists()).isTrue();
      }
    }
  }

  @Test
  void missingContainerIsNotRetryableAndNotMistakenForAMissingBlob() {
    Map<String, String> settings = settings("no-such-container");
    settings.remove("createContainer");
    try (ObjectStore s = ObjectStores.open("azure-blob", settings)) {
      assertThatThrownBy(() -> s.put("k", new byte[1]))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
      assertThatThrownBy(() -> s.read("k"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
      assertThatThrownBy(() -> s.list(""))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void wrongAccountKeyIsNotRetryableAndNeverPrinted() {
    Map<String, String> settings = settings(newContainer());
    settings.remove("createContainer");
    String wrong = java.util.Base64.getEncoder().encodeToString(new byte[64]);
    settings.put("accountKey", wrong);
    try (ObjectStore s = ObjectStores.open("azure-blob", settings)) {
      assertThatThrownBy(() -> s.put("k", new byte[1]))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
      assertThat(s.toString()).doesNotContain(wrong).doesNotContain(AzuriteFixture.ACCOUNT_KEY);
    }
  }

  @Test
  void unreachableEndpointIsRetryable() {
    Map<String, String> settings = settings("unreachable");
    settings.remove("createContainer");
    settings.put("endpoint", "http://127.0.0.1:1/" + AzuriteFixture.ACCOUNT);
    settings.put("maxTries", "1");
    try (ObjectStore s = ObjectStores.open("azure-blob", settings)) {
      assertThatThrownBy(() -> s.read("k"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue());
    }
  }

  @Test
  void aContainerSasTokenReadsAndWritesButCannotPresign() {
    String container = newContainer();
    try (ObjectStore keyed = ObjectStores.open("azure-blob", settings(container))) {
      keyed.put("seed", new byte[] {1});
    }
    String sas =
        rawContainer(container)
            .generateSas(
                new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plusMinutes(10),
                    BlobContainerSasPermission.parse("racwdl")));
    Map<String, String> settings = new HashMap<>(settings(container));
    settings.remove("accountKey");
    settings.remove("createContainer");
    settings.put("sasToken", "?" + sas);
    try (ObjectStore s = ObjectStores.open("azure-blob", settings)) {
      s.put("written", new byte[] {2});
      assertThat(s.list("")).containsExactly("seed", "written");
      assertThat(s.read("seed")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
      assertThat(s.presign("seed", false, java.time.Duration.ofMinutes(1))).isEmpty();
      assertThat(s.toString()).doesNotContain(sas);
    }
  }
}
