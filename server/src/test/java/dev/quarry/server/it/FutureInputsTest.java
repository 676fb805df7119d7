package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.client.MapOptions;
import dev.quarry.client.MapReduce;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.StoredData;
import dev.quarry.client.WaitMode;
import dev.quarry.testkit.Http;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Futures as the inputs of a new map (the server reads the earlier results from storage; the client
 * downloads nothing), refused for another team's job (404, as a missing one) and for futures that
 * have not succeeded (409 FUTURE_NOT_READY); and map-reduce with one reducer per stored object.
 */
class FutureInputsTest {
  static TestServer server;
  static String key;
  static FunctionExecutor fexec;
  static FunctionExecutor other;
  static QuarryStorage storage;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    key = TenancyTest.newTenant();
    fexec =
        FunctionExecutor.connect(server.grpcTarget(), ClientOptions.builder().apiKey(key).build());
    other =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(TenancyTest.newTenant()).build());
    storage = fexec.storage();
  }

  @AfterAll
  static void stop() {
    storage.close();
    fexec.close();
    other.close();
  }

  @Test
  void aMapTakesEarlierFuturesResultsAsItsInputs() {
    List<JobFuture<Integer>> squares =
        fexec.map((Integer x) -> x * x, IntStream.rangeClosed(1, 20).boxed().toList());
    fexec.waitFor(squares, WaitMode.ALL_COMPLETED);
    List<JobFuture<Integer>> reversed = squares.reversed();

    List<JobFuture<String>> next = fexec.mapResults((Integer s) -> "got " + (s + 1), reversed);

    assertThat(fexec.getResult(next))
        .hasSize(20)
        .startsWith("got 401", "got 362")
        .endsWith("got 2");
  }

  @Test
  void anotherTeamsFuturesAnswerNotFoundAndUnfinishedOnesAreRefused() {
    List<JobFuture<Integer>> done = fexec.map((Integer x) -> x, List.of(1, 2));
    fexec.waitFor(done, WaitMode.ALL_COMPLETED);
    assertThatThrownBy(() -> other.mapResults((Integer x) -> x, done))
        .isInstanceOf(QuarryException.class)
        .satisfies(
            e -> assertThat(((QuarryException) e).reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND));

    List<JobFuture<Integer>> slow =
        fexec.map(
            FutureInputsTest::slowly,
            List.of(1),
            MapOptions.builder().timeout(java.time.Duration.ofSeconds(30)).build());
    try {
      assertThatThrownBy(() -> fexec.mapResults((Integer x) -> x, slow))
          .isInstanceOf(QuarryException.class)
          .satisfies(
              e ->
                  assertThat(((QuarryException) e).reason())
                      .isEqualTo(ErrorReason.FUTURE_NOT_READY));
    } finally {
      fexec.cancel(slow.getFirst().jobId());
    }

    List<JobFuture<Integer>> failed =
        fexec.map(
            (Integer x) -> {
              throw new IllegalStateException("no");
            },
            List.of(1));
    fexec.waitFor(failed, WaitMode.ALL_COMPLETED);
    assertThatThrownBy(() -> fexec.mapResults((Integer x) -> x, failed))
        .isInstanceOf(QuarryException.class)
        .hasMessageContaining("ended FAILED")
        .satisfies(
            e ->
                assertThat(((QuarryException) e).reason()).isEqualTo(ErrorReason.FUTURE_NOT_READY));
  }

  /** Still running when the next map is submitted, at once. */
  static int slowly(int x) {
    try {
      Thread.sleep(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return x;
  }

  @Test
  void restTakesInputFuturesAndKeepsTenantsApart() throws Exception {
    Http http = new Http(server.restUrl(), key);
    Http.Response first = http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3]}");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String job = first.json().get("id").asString();
    assertThat(http.results(job)).hasSize(3);

    Http.Response second =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"inputFutures\":[\"" + job + ":2\",\"" + job + ":0\"]}");
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    List<JsonNode> results = http.results(second.json().get("id").asString());
    assertThat(results.stream().map(r -> r.get("result").asInt()).toList()).containsExactly(3, 1);

    Http stranger = new Http(server.restUrl(), TenancyTest.newTenant());
    Http.Response refused =
        stranger.post("/v1/jobs", "{\"function\":\"echo\",\"inputFutures\":[\"" + job + ":0\"]}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(404);
    assertThat(refused.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(stranger.get("/v1/jobs").json().get("jobs").size()).isZero();

    Http.Response both =
        http.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"inputs\":[1],\"inputFutures\":[\"" + job + ":0\"]}");
    assertThat(both.status()).isEqualTo(400);
    Http.Response outside =
        http.post("/v1/jobs", "{\"function\":\"echo\",\"inputFutures\":[\"" + job + ":3\"]}");
    assertThat(outside.status()).as(outside.body()).isEqualTo(400);
  }

  @Test
  void oneReducerPerObjectGetsOnlyThatObjectsRanges() throws Exception {
    byte[] a = StoredDataMapTest.generate(400_000, 3);
    byte[] b = StoredDataMapTest.generate(150_000, 4);
    storage.putObject("per-object", "a.txt", a);
    storage.putObject("per-object", "b.txt", b);
    storage.putObject("per-object", "c.txt", "x y z\n");

    MapReduce<Long, Long> mr =
        fexec.mapReduce(
            (DataChunk chunk) -> StoredDataMapTest.countChunk(chunk)[0],
            StoredData.prefix("per-object", "").objChunkSize(50_021),
            words -> words.mapToLong(Long::longValue).sum(),
            MapOptions.builder().reducerPerObject(true).build());

    assertThat(mr.objects()).containsExactly("a.txt", "b.txt", "c.txt");
    assertThat(fexec.getResult(mr.reducers()))
        .containsExactly(
            StoredDataMapTest.count(new java.io.ByteArrayInputStream(a))[0],
            StoredDataMapTest.count(new java.io.ByteArrayInputStream(b))[0],
            3L);
    assertThat(mr.reducer()).isSameAs(mr.reducers().getFirst());
    assertThat(storage.listObjects("quarry-mapreduce", "").toList()).isEmpty();
  }
}
