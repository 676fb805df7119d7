package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.ObjectInfo;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.TransferOptions;
import dev.quarry.server.it.StorageApiContract.Pattern;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QuarryStorage#downloadFile(String, String, Path, TransferOptions)} in parallel ranged
 * parts through a real server: a large round trip, an overwrite during the download, another
 * tenant.
 */
abstract class ParallelTransferContract {
  abstract String grpcTarget();

  abstract String restUrl();

  /** Bytes of the round trip: about 200 MiB, with a last part shorter than the others. */
  long largeSize() {
    return (200L << 20) + 12_345;
  }

  QuarryStorage storage;
  String bucket;
  String apiKey;

  @BeforeEach
  void connect() throws Exception {
    apiKey = StorageApiContract.newTeam(restUrl(), TestServer.OPERATOR_KEY).key();
    storage = connect(apiKey);
    bucket = "xfer-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private QuarryStorage connect(String apiKey) {
    return QuarryStorage.connect(grpcTarget(), ClientOptions.builder().apiKey(apiKey).build());
  }

  @Test
  void roundTripsALargeFileInParallelParts(@TempDir Path dir) throws Exception {
    long size = largeSize();
    Path file = dir.resolve("big.bin");
    try (InputStream in = new Pattern(size)) {
      Files.copy(in, file);
    }
    // in parallel parts of the default 16 MiB: the etag is a multipart one
    ObjectInfo put = storage.uploadFile(file, bucket, "big.bin");
    long parts = (size + TransferOptions.DEFAULT_PART_SIZE - 1) / TransferOptions.DEFAULT_PART_SIZE;
    assertThat(put.etag()).matches("\"[0-9a-f]{32}-" + parts + "\"");
    assertThat(put.size()).isEqualTo(size);

    long partSize = 16L << 20;
    List<Long> progress = new CopyOnWriteArrayList<>();
    Path copy = dir.resolve("copy.bin");
    long got =
        storage.downloadFile(
            bucket,
            "big.bin",
            copy,
            TransferOptions.builder()
                .partSize(partSize)
                .parallelism(4)
                .progress(progress::add)
                .build());

    assertThat(got).isEqualTo(size);
    assertThat(md5(copy)).isEqualTo(Pattern.md5(size));
    assertThat(progress).hasSize((int) ((size + partSize - 1) / partSize)).contains(size);
    assertThat(leftovers(dir)).isEmpty();
    storage.deleteObject(bucket, "big.bin");
  }

  @Test
  void anOverwriteDuringTheDownloadFailsItInsteadOfMixingVersions(@TempDir Path dir)
      throws Exception {
    long size = 4L << 20;
    storage.putObject(bucket, "moving.bin", new Pattern(size), size);
    byte[] second = new byte[(int) size]; // same size, other bytes
    AtomicBoolean overwritten = new AtomicBoolean();
    Path target = dir.resolve("moving.bin");
    TransferOptions oneAtATime =
        TransferOptions.builder()
            .partSize(1L << 20)
            .parallelism(1)
            // after the first part, before the second is asked for
            .progress(
                bytes -> {
                  if (overwritten.compareAndSet(false, true)) {
                    storage.putObject(bucket, "moving.bin", second);
                  }
                })
            .build();

    assertThatThrownBy(() -> storage.downloadFile(bucket, "moving.bin", target, oneAtATime))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.OBJECT_CHANGED));
    assertThat(overwritten).isTrue();
    assertThat(target).doesNotExist();
    assertThat(leftovers(dir)).isEmpty();

    // read again from the start, the new version is whole
    assertThat(storage.downloadFile(bucket, "moving.bin", target, oneAtATime)).isEqualTo(size);
    assertThat(Files.readAllBytes(target)).isEqualTo(second);
  }

  @Test
  void anotherTenantCannotDownloadTheObject(@TempDir Path dir) throws Exception {
    storage.putObject(bucket, "private.bin", new Pattern(3L << 20), 3L << 20);
    Path target = dir.resolve("stolen.bin");
    try (QuarryStorage other =
        connect(StorageApiContract.newTeam(restUrl(), TestServer.OPERATOR_KEY).key())) {
      assertThatThrownBy(
              () ->
                  other.downloadFile(
                      bucket,
                      "private.bin",
                      target,
                      TransferOptions.builder().partSize(1L << 20).build()))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.OBJECT_NOT_FOUND));
    }
    assertThat(target).doesNotExist();
    assertThat(leftovers(dir)).isEmpty();
  }

  @Test
  void transferOptionsAreBounded() {
    assertThatThrownBy(() -> TransferOptions.builder().partSize((1L << 20) - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransferOptions.builder().partSize((1L << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransferOptions.builder().parallelism(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransferOptions.builder().parallelism(33))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Path> leftovers(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
    }
  }

  private static String md5(Path file) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md5.digest());
  }
}
