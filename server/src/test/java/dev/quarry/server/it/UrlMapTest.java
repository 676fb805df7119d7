package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.MapOptions;
import dev.quarry.client.MapReduce;
import dev.quarry.client.QuarryException;
import dev.quarry.client.StoredData;
import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Maps over HTTP(S) URLs against a local HTTP server with byte ranges: the server plans ranges with
 * HEAD, the workers read them with Range GETs and keep whole lines, so word and line counts over
 * all ranges equal one pass over the bytes at odd chunk sizes. The server here allows 127.0.0.1
 * ({@code quarry.data.url-allowed-private-hosts}) and runs its workers unsandboxed (a sandboxed
 * local worker has no network); every other non-public address is refused with 400 URL_REFUSED and
 * no job, and so is 127.0.0.1 on the shared server, which has no such setting.
 */
class UrlMapTest {
  static ServerFixture fixture;
  static RangeHttpServer web;
  static FunctionExecutor fexec;
  static byte[] corpus;
  static byte[] small;

  @BeforeAll
  static void start() throws Exception {
    corpus = StoredDataMapTest.generate(3L << 20, 11);
    small = StoredDataMapTest.generate(64L << 10, 5);
    web =
        new RangeHttpServer()
            .add("/corpus.txt", corpus, true)
            .add("/small.txt", small, true)
            .add("/norange.txt", small, false)
            .add("/empty.txt", new byte[0], true);
    fixture =
        ServerFixture.builder(QuarryServer.class)
            .arg(
                "--quarry.backend.pool-size=2",
                "--quarry.backend.sandbox=none",
                "--quarry.data.url-allowed-private-hosts=127.0.0.1")
            .start();
    fexec =
        FunctionExecutor.connect(
            fixture.grpcTarget(), ClientOptions.builder().apiKey(fixture.devKey()).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (fexec != null) {
      fexec.close();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (web != null) {
      web.close();
    }
  }

  /** Words, lines and bytes the chunk's stream holds. */
  static long[] countUrlChunk(DataChunk chunk) {
    try (InputStream in = chunk.stream()) {
      return StoredDataMapTest.count(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long[] sum(List<long[]> counts) {
    long[] total = new long[3];
    for (long[] c : counts) {
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    }
    return total;
  }

  static long[] count(byte[] bytes) throws IOException {
    return StoredDataMapTest.count(new ByteArrayInputStream(bytes));
  }

  @Test
  void wordCountOverUrlRangesOfOddSizesEqualsOnePass() throws Exception {
    long[] big = count(corpus);
    long[] little = count(small);
    URI corpusUrl = URI.create(web.url("/corpus.txt"));
    URI smallUrl = URI.create(web.url("/small.txt"));
    for (StoredData data :
        List.of(
            StoredData.urls(List.of(corpusUrl)).objChunkSize(100_003),
            StoredData.urls(List.of(corpusUrl)).objChunkSize(1_048_573),
            StoredData.urls(List.of(corpusUrl)).objChunkNumber(7),
            StoredData.urls(List.of(smallUrl)).objChunkSize(1031),
            StoredData.urls(List.of(corpusUrl)))) {
      long started = System.nanoTime();
      List<long[]> counts = fexec.getResult(fexec.map(UrlMapTest::countUrlChunk, data));
      System.err.printf(
          "url word count of %d KiB in %d ranges (%s): %d ms%n",
          (data.urls().getFirst().equals(corpusUrl) ? corpus : small).length >> 10,
          counts.size(),
          data,
          (System.nanoTime() - started) / 1_000_000);
      long[] expected = data.urls().getFirst().equals(corpusUrl) ? big : little;
      long[] got = sum(counts);
      assertThat(got[0]).as("%s: words", data).isEqualTo(expected[0]);
      assertThat(got[1]).as("%s: lines", data).isEqualTo(expected[1]);
      assertThat(got[2]).as("%s: bytes, none read twice", data).isEqualTo(expected[2]);
    }
  }

  @Test
  void aUrlWithoutRangesIsOneWholeRangeAndAnEmptyOneIsEmpty() throws Exception {
    List<long[]> counts =
        fexec.getResult(
            fexec.map(
                UrlMapTest::countUrlChunk,
                StoredData.urls(
                        List.of(
                            URI.create(web.url("/norange.txt")), URI.create(web.url("/empty.txt"))))
                    .objChunkSize(1024)));

    assertThat(counts).hasSize(2);
    assertThat(counts.get(0)).isEqualTo(count(small));
    assertThat(counts.get(1)).containsExactly(0, 0, 0);
  }

  @Test
  void restPlansUrlRangesFromHeadAlone() throws Exception {
    Http http = fixture.http();
    int seen = web.requests.size();
    Http.Response submitted =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"urls\":[\""
                + web.url("/small.txt")
                + "\"],\"objChunkNumber\":2}}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    List<JsonNode> results = http.results(submitted.json().get("id").asString());

    assertThat(results).hasSize(2);
    JsonNode first = results.get(0).get("result");
    assertThat(first.get("url").asString()).isEqualTo(web.url("/small.txt"));
    assertThat(first.get("start").asLong()).isZero();
    assertThat(first.get("end").asLong()).isEqualTo(small.length / 2);
    assertThat(first.get("size").asLong()).isEqualTo(small.length);
    assertThat(results.get(1).get("result").get("end").asLong()).isEqualTo(small.length);
    assertThat(web.requests.subList(seen, web.requests.size()))
        .as("the server read headers only; echo reads nothing")
        .containsExactly("HEAD /small.txt null");
  }

  @Test
  void ssrfTargetsAreRefusedWith400AndNoJob() throws Exception {
    Http http = fixture.http();
    int jobsBefore = http.get("/v1/jobs?limit=1000").json().get("jobs").size();
    int port = web.port();
    List<String> refused =
        List.of(
            "http://localhost:" + port + "/small.txt",
            "http://127.0.0.2:" + port + "/small.txt",
            "http://[::1]:" + port + "/small.txt",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/x",
            "http://user:secret@127.0.0.1:" + port + "/small.txt",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "http://127.0.0.1:" + port + "/" + "a".repeat(3000));
    for (String url : refused) {
      Http.Response r =
          http.post(
              "/v1/jobs",
              "{\"function\":\"echo\",\"data\":{\"urls\":["
                  + Http.JSON.writeValueAsString(url)
                  + "]}}");
      assertThat(r.status()).as("%s: %s", url, r.body()).isEqualTo(400);
      assertThat(r.json().get("reason").asString()).as(url).isEqualTo("URL_REFUSED");
      assertThat(r.body()).as("no secret echoed").doesNotContain("secret");
    }
    assertThat(http.get("/v1/jobs?limit=1000").json().get("jobs").size()).isEqualTo(jobsBefore);
    assertThat(web.requests).noneMatch(r -> r.contains("/x"));
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    Http.Response r =
        fixture
            .http()
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"data\":{\"urls\":[\"" + web.url("/redirect") + "\"]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("reason").asString()).isEqualTo("URL_UNREADABLE");
    assertThat(r.json().get("message").asString()).contains("302");
  }

  @Test
  void theJavaClientGetsUrlRefusedOverGrpc() {
    assertThatThrownBy(
            () ->
                fexec.map(
                    UrlMapTest::countUrlChunk,
                    StoredData.urls(List.of(URI.create("http://169.254.169.254/latest/")))))
        .isInstanceOf(QuarryException.class)
        .satisfies(
            e -> assertThat(((QuarryException) e).reason()).isEqualTo(ErrorReason.URL_REFUSED));
    assertThatThrownBy(() -> StoredData.urls(List.of(URI.create("file:///etc/passwd"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only http and https");
  }

  @Test
  void theSharedServerWithoutTheSettingRefusesLoopback() throws Exception {
    Http http = new Http(TestServer.get().restUrl(), TenancyTest.newTenant());
    Http.Response r =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"data\":{\"urls\":[\"" + web.url("/small.txt") + "\"]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("reason").asString()).isEqualTo("URL_REFUSED");
    assertThat(http.get("/v1/jobs").json().get("jobs").size()).isZero();
  }

  @Test
  void oneReducerPerUrlReducesThatUrlsRanges() throws Exception {
    URI corpusUrl = URI.create(web.url("/corpus.txt"));
    URI smallUrl = URI.create(web.url("/small.txt"));
    MapReduce<Long, Long> mr =
        fexec.mapReduce(
            (DataChunk chunk) -> countUrlChunk(chunk)[0],
            StoredData.urls(List.of(corpusUrl, smallUrl)).objChunkSize(300_007),
            words -> words.mapToLong(Long::longValue).sum(),
            MapOptions.builder().reducerPerObject(true).build());

    assertThat(mr.objects()).containsExactly(corpusUrl.toString(), smallUrl.toString());
    assertThat(mr.reducers()).hasSize(2);
    assertThat(mr.reducers().get(0).get()).isEqualTo(count(corpus)[0]);
    assertThat(mr.reducers().get(1).get()).isEqualTo(count(small)[0]);
    assertThat(mr.maps()).hasSizeGreaterThan(10);
  }
}
