package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.StoredData;
import dev.quarry.testkit.Http;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Maps over stored data: the server lists the objects and splits them into ranges of whole lines;
 * the word and line counts over all ranges equal a single pass over the same bytes, with split
 * points at odd sizes, and no line is cut, lost or read twice.
 */
class StoredDataMapTest {
  /** Size of the generated text: 24 MiB, or {@code -Dquarry.test.dataMib=N}. */
  static final long BIG = Long.getLong("quarry.test.dataMib", 24) << 20;

  static TestServer server;
  static String key;
  static FunctionExecutor fexec;
  static QuarryStorage storage;
  static byte[] text;
  static String bucket = "corpus";

  @BeforeAll
  static void upload() throws Exception {
    server = TestServer.get();
    key = TenancyTest.newTenant();
    fexec =
        FunctionExecutor.connect(server.grpcTarget(), ClientOptions.builder().apiKey(key).build());
    storage = fexec.storage();
    text = generate(BIG, 42);
    storage.putObject(bucket, "logs/big.txt", text);
    storage.putObject(bucket, "logs/small.txt", "one two\nthree\n");
    storage.putObject(bucket, "logs/empty.txt", new byte[0]);
    storage.putObject(bucket, "other/skip.txt", "not under the prefix\n");
  }

  @AfterAll
  static void stop() {
    storage.close();
    fexec.close();
  }

  /**
   * Lines of 0 to 300 words of 1 to 12 letters, some lines of 200 KiB (longer than a split step),
   * some empty, some with tabs or several spaces; the last line has no newline.
   */
  static byte[] generate(long size, long seed) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder((int) size + 1024);
    while (out.length() < size) {
      int words =
          random.nextInt(50) == 0 ? 30_000 : random.nextInt(random.nextInt(10) == 0 ? 1 : 40);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          out.append(random.nextInt(20) == 0 ? "\t  " : " ");
        }
        int letters = 1 + random.nextInt(12);
        for (int l = 0; l < letters; l++) {
          out.append((char) ('a' + random.nextInt(26)));
        }
      }
      out.append('\n');
    }
    out.append("last line without newline");
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Words and lines of {@code bytes}, counted in one pass. */
  static long[] count(InputStream in) throws IOException {
    dev.quarry.testkit.TextCorpus.Counts c = dev.quarry.testkit.TextCorpus.count(in);
    return new long[] {c.words(), c.lines(), c.bytes()};
  }

  static long[] countChunk(DataChunk chunk) {
    try (InputStream in = chunk.stream()) {
      long[] c = count(in);
      return new long[] {c[0], c[1], c[2], chunk.start(), chunk.end()};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void wordCountOverChunksOfOddSizesEqualsOneSinglePass() throws Exception {
    long[] expected = count(new java.io.ByteArrayInputStream(text));
    for (StoredData data :
        List.of(
            StoredData.keys(bucket, List.of("logs/big.txt")).objChunkSize(1_000_003),
            StoredData.keys(bucket, List.of("logs/big.txt")).objChunkSize(3_333_331),
            StoredData.keys(bucket, List.of("logs/big.txt")).objChunkNumber(7),
            StoredData.keys(bucket, List.of("logs/big.txt")))) {
      long started = System.nanoTime();
      List<long[]> chunks = fexec.getResult(fexec.map(StoredDataMapTest::countChunk, data));
      System.err.printf(
          "word count of %d MiB in %d ranges (%s): %d ms%n",
          text.length >> 20, chunks.size(), data, (System.nanoTime() - started) / 1_000_000);

      long words = 0;
      long lines = 0;
      long position = 0;
      for (long[] c : chunks) {
        assertThat(c[3]).as("%s: ranges are contiguous", data).isEqualTo(position);
        assertThat(c[2])
            .as("%s: the stream has exactly the range's bytes", data)
            .isEqualTo(c[4] - c[3]);
        if (c[3] > 0) {
          assertThat(text[(int) c[3] - 1])
              .as("%s: a range starts after a newline", data)
              .isEqualTo((byte) '\n');
        }
        words += c[0];
        lines += c[1];
        position = c[4];
      }
      assertThat(position).as("%s: the ranges cover the object", data).isEqualTo(text.length);
      assertThat(words).as("%s: words", data).isEqualTo(expected[0]);
      assertThat(lines).as("%s: lines", data).isEqualTo(expected[1]);
    }
  }

  @Test
  void aPrefixMapsEveryObjectUnderItInKeyOrder() {
    List<String> seen =
        fexec.getResult(
            fexec.map(
                (DataChunk c) ->
                    c.key() + ":" + c.part() + ":" + c.length() + ":" + c.lines().count(),
                StoredData.prefix(bucket, "logs/").objChunkNumber(2)));

    assertThat(seen)
        .contains("logs/empty.txt:0:0:0", "logs/small.txt:0:8:1", "logs/small.txt:1:6:1");
    assertThat(seen).filteredOn(s -> s.startsWith("logs/big.txt:")).hasSize(2);
    assertThat(seen).noneMatch(s -> s.startsWith("other/"));
  }

  @Test
  void restTakesTheSameDataAsAJsonBody() throws Exception {
    Http http = new Http(server.restUrl(), key);
    Http.Response submitted =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"keys\":[\"logs/small.txt\"],"
                + "\"objChunkSize\":1024}}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    List<JsonNode> results = http.results(submitted.json().get("id").asString());

    assertThat(results).hasSize(1);
    JsonNode range = results.getFirst().get("result");
    assertThat(range.get("key").asString()).isEqualTo("logs/small.txt");
    assertThat(range.get("start").asLong()).isZero();
    assertThat(range.get("end").asLong()).isEqualTo(14);
  }

  @Test
  void badDataIsRefusedWithAReasonAndAnotherTeamSeesNoObjects() throws Exception {
    Http http = new Http(server.restUrl(), key);

    Http.Response both =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"prefix\":\"logs/\","
                + "\"objChunkSize\":4096,\"objChunkNumber\":2}}");
    Http.Response tooMany =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"prefix\":\"logs/\","
                + "\"objChunkSize\":1024}}");
    Http.Response nothing =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"prefix\":\"nope/\"}}");
    Http.Response traversal =
        http.post(
            "/v1/jobs", "{\"function\":\"echo\",\"data\":{\"bucket\":\"..\",\"prefix\":\"\"}}");
    Http.Response unknown =
        http.post(
            "/v1/jobs", "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"glob\":\"*\"}}");
    Http.Response otherTeam =
        http.withKey(TenancyTest.newTenant())
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"data\":{\"bucket\":\"corpus\",\"prefix\":\"logs/\"}}");

    assertThat(both.status()).isEqualTo(400);
    assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(413);
    assertThat(tooMany.body()).contains("maxInputsPerJob");
    assertThat(nothing.status()).isEqualTo(404);
    assertThat(nothing.json().get("reason").asString()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(traversal.status()).isEqualTo(400);
    assertThat(traversal.json().get("reason").asString()).isEqualTo("INVALID_OBJECT_NAME");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(otherTeam.status()).isEqualTo(404);
    assertThat(otherTeam.json().get("reason").asString()).isEqualTo("OBJECT_NOT_FOUND");
    assertThatThrownBy(
            () -> fexec.map((DataChunk c) -> c.length(), StoredData.prefix(bucket, "nope/")))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.OBJECT_NOT_FOUND));
  }
}
