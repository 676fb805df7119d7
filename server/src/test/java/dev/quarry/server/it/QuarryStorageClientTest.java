package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.ObjectInfo;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import dev.quarry.testkit.Http;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QuarryStorage} against the real server (gRPC {@code StorageService}, filesystem store).
 */
class QuarryStorageClientTest {
  static TestServer server;
  static QuarryStorage storage;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    storage =
        QuarryStorage.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build());
    bucket = "client-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterAll
  static void stop() {
    storage.close();
  }

  @Test
  void streamsAnObjectUpAndDownAndReadsRanges() throws Exception {
    long size = 5L * 1024 * 1024 + 7;
    ObjectInfo put =
        storage.putObject(bucket, "big.bin", new StorageApiContract.Pattern(size), size);
    assertThat(put.size()).isEqualTo(size);
    assertThat(put.etag()).isEqualTo("\"" + StorageApiContract.Pattern.md5(size) + "\"");

    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = storage.openObject(bucket, "big.bin")) {
      byte[] buffer = new byte[100_000];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md5.update(buffer, 0, n);
      }
    }
    assertThat("\"" + HexFormat.of().formatHex(md5.digest()) + "\"").isEqualTo(put.etag());

    byte[] range = storage.getObject(bucket, "big.bin", 3_000_000, 10);
    for (int i = 0; i < 10; i++) {
      assertThat(range[i]).isEqualTo(StorageApiContract.Pattern.at(3_000_000 + i));
    }
    assertThat(storage.getObject(bucket, "big.bin", size - 3, 100)).hasSize(3);
    assertThatThrownBy(() -> storage.getObject(bucket, "big.bin", size, 1))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.RANGE_NOT_SATISFIABLE));
    // closing early cancels the transfer and leaves the client usable
    try (InputStream in = storage.openObject(bucket, "big.bin")) {
      assertThat(in.read()).isEqualTo(StorageApiContract.Pattern.at(0) & 0xff);
    }
    assertThat(storage.headObject(bucket, "big.bin").size()).isEqualTo(size);
  }

  @Test
  void putsTextBytesAndFilesAndDownloadsToAFile(@TempDir Path dir) throws Exception {
    storage.putObject(bucket, "docs/hello.txt", "Hello World");
    assertThat(storage.getObjectAsString(bucket, "docs/hello.txt")).isEqualTo("Hello World");
    storage.putObject(bucket, "docs/empty", new byte[0]);
    assertThat(storage.getObject(bucket, "docs/empty")).isEmpty();

    Path file = dir.resolve("in.txt");
    Files.writeString(file, "from a file");
    assertThat(storage.uploadFile(file, bucket, "docs/file.txt").size()).isEqualTo(11);
    Path out = dir.resolve("out.txt");
    assertThat(storage.downloadFile(bucket, "docs/file.txt", out)).isEqualTo(11);
    assertThat(Files.readString(out)).isEqualTo("from a file");
    assertThat(storage.exists(bucket, "docs/file.txt")).isTrue();
    try (var fexec =
            dev.quarry.client.FunctionExecutor.connect(
                server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build());
        QuarryStorage same = fexec.storage()) {
      assertThat(same.getObjectAsString(bucket, "docs/file.txt")).isEqualTo("from a file");
    }
    assertThat(storage.exists(bucket, "docs/nope")).isFalse();
  }

  @Test
  void listsEveryObjectAcrossPagesAndDeletesInBatches() throws Exception {
    String b = bucket + "-list";
    List<String> keys =
        IntStream.range(0, 45).mapToObj(i -> String.format("part/%05d", i)).toList();
    try (var pool = Executors.newFixedThreadPool(4)) {
      for (String k : keys) {
        pool.submit(() -> storage.putObject(b, k, k));
      }
    }
    storage.putObject(b, "other", "not listed");
    assertThat(storage.listObjects(b, "part/", 10).map(ObjectInfo::key).toList())
        .containsExactlyElementsOf(keys);
    assertThat(storage.listObjects(b, "part/").count()).isEqualTo(45);
    QuarryStorage.Page first = storage.listObjectsPage(b, "part/", "", 2);
    assertThat(first.objects())
        .extracting(ObjectInfo::key)
        .containsExactly(keys.get(0), keys.get(1));
    assertThat(
            storage
                .listObjectsPage(b, "part/", first.nextPageToken(), 1)
                .objects()
                .getFirst()
                .key())
        .isEqualTo(keys.get(2));

    assertThat(storage.deleteObjects(b, keys)).isEqualTo(45);
    assertThat(storage.listObjects(b, "").map(ObjectInfo::key)).containsExactly("other");
  }

  @Test
  void refusesBadNamesMissingObjectsAndViewerWrites() throws Exception {
    for (String key :
        List.of("../escape", "/abs", "a/../b", "a//b", "bad\u0001", "k".repeat(1025))) {
      assertThatThrownBy(() -> storage.putObject(bucket, key, "x"))
          .as(key)
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_OBJECT_NAME));
    }
    // a stream shorter or longer than the size it was put with stores nothing
    for (int actual : new int[] {5, 15}) {
      assertThatThrownBy(
              () ->
                  storage.putObject(
                      bucket, "lying", new java.io.ByteArrayInputStream(new byte[actual]), 10))
          .as("%d bytes for 10", actual)
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_ARGUMENT));
    }
    assertThat(storage.exists(bucket, "lying")).isFalse();
    assertThatThrownBy(() -> storage.getObject(bucket, "missing"))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.OBJECT_NOT_FOUND));

    String viewerKey =
        new Http(server.restUrl(), server.apiKey)
            .post("/v1/keys", "{\"name\":\"storage-viewer\",\"role\":\"viewer\"}")
            .json()
            .get("secret")
            .asString();
    storage.putObject(bucket, "viewer/readable", "r");
    try (QuarryStorage viewer =
        QuarryStorage.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(viewerKey).build())) {
      assertThat(viewer.getObjectAsString(bucket, "viewer/readable")).isEqualTo("r");
      assertThatThrownBy(() -> viewer.putObject(bucket, "viewer/new", "w"))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED));
      assertThatThrownBy(() -> viewer.deleteObject(bucket, "viewer/readable"))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED));
    }
    assertThat(storage.exists(bucket, "viewer/new")).isFalse();
  }
}
