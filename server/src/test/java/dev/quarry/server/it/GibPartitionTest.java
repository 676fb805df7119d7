package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.StoredData;
import dev.quarry.testkit.TextCorpus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partitioning a large text object whose line and word counts are known from its generation: the
 * server splits it at 64 MiB and at an odd size (7,777,777 bytes), each future reports its range,
 * and the word count over all ranges equals the single-pass count, with no line lost or counted
 * twice.
 *
 * <p>The suite uses 1 GiB, as the issue asks: about 45 s on a busy two-core machine (generation 4
 * s, upload 5 s, the rest the two maps and the single pass). {@code -Dquarry.test.partitionMib=N}
 * sets another size for a quick local run.
 */
class GibPartitionTest {
  static final long SIZE = Long.getLong("quarry.test.partitionMib", 1024) << 20;
  static final String BUCKET = "gib";
  static final String KEY = "corpus.txt";

  static Path file;
  static TextCorpus.Counts known;
  static FunctionExecutor fexec;
  static QuarryStorage storage;

  @BeforeAll
  static void generateAndUpload() throws Exception {
    TestServer server = TestServer.get();
    String key = TenancyTest.newTenant();
    fexec =
        FunctionExecutor.connect(server.grpcTarget(), ClientOptions.builder().apiKey(key).build());
    storage = fexec.storage();
    file = Files.createTempFile("quarry-gib", ".txt");
    long t0 = System.nanoTime();
    known = TextCorpus.write(file, SIZE, 1234);
    long t1 = System.nanoTime();
    storage.putObject(BUCKET, KEY, file);
    System.err.printf(
        "generated %d MiB (%d lines, %d words) in %d ms, uploaded in %d ms%n",
        known.bytes() >> 20,
        known.lines(),
        known.words(),
        (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try {
      storage.deleteObject(BUCKET, KEY);
    } finally {
      fexec.close();
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aSinglePassCountsWhatTheGeneratorWrote() {
    assertThat(TextCorpus.count(file, 0, Long.MAX_VALUE)).isEqualTo(known);
  }

  @Test
  void rangesOf64MibHoldEveryLineOnce() throws IOException {
    checkRanges(StoredData.keys(BUCKET, List.of(KEY)).objChunkSize(64L << 20));
  }

  @Test
  void rangesOfAnOddSizeHoldEveryLineOnce() throws IOException {
    checkRanges(StoredData.keys(BUCKET, List.of(KEY)).objChunkSize(7_777_777));
  }

  private static void checkRanges(StoredData data) throws IOException {
    long t0 = System.nanoTime();
    List<long[]> ranges =
        fexec.getResult(fexec.map((DataChunk c) -> new long[] {c.start(), c.end()}, data));
    long t1 = System.nanoTime();
    long position = 0;
    try (FileChannel ch = FileChannel.open(file)) {
      for (long[] r : ranges) {
        assertThat(r[0]).as("%s: ranges are contiguous", data).isEqualTo(position);
        assertThat(r[1]).as("%s: ranges are not empty", data).isGreaterThan(r[0]);
        if (r[0] > 0) {
          ByteBuffer before = ByteBuffer.allocate(1);
          ch.read(before, r[0] - 1);
          assertThat(before.get(0)).as("%s: a range starts a line", data).isEqualTo((byte) '\n');
        }
        position = r[1];
      }
    }
    assertThat(position).as("%s: the ranges cover the object", data).isEqualTo(known.bytes());
    TextCorpus.Counts sum =
        ranges.parallelStream()
            .map(r -> TextCorpus.count(file, r[0], r[1]))
            .reduce(new TextCorpus.Counts(0, 0, 0), TextCorpus.Counts::plus);
    System.err.printf(
        "%s: %d ranges planned and mapped in %d ms, counted in %d ms%n",
        data, ranges.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    assertThat(sum).as("%s: bytes, lines and words over all ranges", data).isEqualTo(known);
  }
}
