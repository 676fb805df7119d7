package dev.quarry.server.it;

import static dev.quarry.server.it.RestEndToEndTest.http;
import static dev.quarry.server.it.RestEndToEndTest.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryJobs;
import dev.quarry.client.RetriedJob;
import dev.quarry.testkit.Http;
import io.grpc.Status;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/jobs/{id}/retry-failed} and gRPC {@code RetryFailed}: a job's failed futures run
 * again with fresh attempts, a cancelled job is refused, another tenant's job does not exist. (A
 * function that fails once and then succeeds is retried in the CLI's tests, whose workers are not
 * sandboxed and can leave a marker file.)
 */
class RetryFailedTest {
  @BeforeAll
  static void start() throws Exception {
    RestEndToEndTest.start();
  }

  @Test
  void failedFuturesRunAgainWithFreshAttemptsAndTheJobEndsAgain() throws Exception {
    // builtin fail always throws; retried function errors spend 2 attempts per run
    String id =
        submit(
            "{\"function\":\"fail\",\"inputs\":[\"a\",\"b\"],\"maxAttempts\":2,"
                + "\"retryFunctionErrors\":true}");
    List<JsonNode> first = RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results"));
    assertThat(first).extracting(l -> l.get("attempts").asInt()).containsExactly(2, 2);
    JsonNode failed = http.get("/v1/jobs/" + id).json();
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");

    Http.Response retry = http.post("/v1/jobs/" + id + "/retry-failed", "");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().get("retried").asInt()).isEqualTo(2);
    assertThat(retry.json().get("job").get("id").asString()).isEqualTo(id);
    assertThat(retry.json().get("job").get("failed").asInt()).isZero();

    // the stream shows each future once, with the new outcome: two more attempts each
    List<JsonNode> second =
        RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
    assertThat(second).extracting(l -> l.get("index").asInt()).containsExactly(0, 1);
    assertThat(second).extracting(l -> l.get("attempts").asInt()).containsExactly(4, 4);
    assertThat(second).extracting(l -> l.get("state").asString()).containsOnly("FAILED");
    assertThat(second)
        .allSatisfy(
            l ->
                assertThat(l.get("finishedAtMs").asLong())
                    .isGreaterThanOrEqualTo(l.get("startedAtMs").asLong())
                    .isGreaterThan(first.get(0).get("finishedAtMs").asLong()));
    JsonNode again = http.get("/v1/jobs/" + id).json();
    assertThat(again.get("state").asString()).isEqualTo("FAILED");
    assertThat(again.get("failed").asInt()).isEqualTo(2);
    assertThat(http.get("/v1/audit").body()).contains("job.retry-failed");
  }

  @Test
  void aJobWithoutFailedFuturesIsReturnedUnchanged() throws Exception {
    String id = submit("{\"function\":\"echo\",\"inputs\":[1,2]}");
    RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results"));
    JsonNode before = http.get("/v1/jobs/" + id).json();

    Http.Response retry = http.post("/v1/jobs/" + id + "/retry-failed", "");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().get("retried").asInt()).isZero();
    assertThat(retry.json().get("job")).isEqualTo(before);

    try (QuarryJobs jobs = javaClient(server.apiKey)) {
      RetriedJob r = jobs.retryFailed(id);
      assertThat(r.retried()).isZero();
      assertThat(r.job().state().name()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void aCancelledJobIsRefusedWith409AndStaysCancelled() throws Exception {
    String inputs =
        IntStream.range(0, 8).mapToObj(i -> "1000").reduce((a, b) -> a + "," + b).orElseThrow();
    String id = submit("{\"function\":\"sleep\",\"inputs\":[" + inputs + "]}");
    assertThat(http.post("/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(200);

    Http.Response retry = http.post("/v1/jobs/" + id + "/retry-failed", "");
    assertThat(retry.status()).as(retry.body()).isEqualTo(409);
    assertThat(retry.json().get("reason").asString()).isEqualTo("JOB_CANCELLED");
    try (QuarryJobs jobs = javaClient(server.apiKey)) {
      assertThatThrownBy(() -> jobs.retryFailed(id))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ErrorReason.JOB_CANCELLED);
                assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              });
    }
    assertThat(http.get("/v1/jobs/" + id).json().get("state").asString()).isEqualTo("CANCELLED");
  }

  @Test
  void anotherTenantsJobIsNotFoundAndUnchanged() throws Exception {
    String id = submit("{\"function\":\"fail\",\"inputs\":[\"x\"]}");
    RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results"));
    Http other = new Http(server.restUrl(), TenancyTest.newTenant());

    Http.Response retry = other.post("/v1/jobs/" + id + "/retry-failed", "");
    assertThat(retry.status()).as(retry.body()).isEqualTo(404);
    assertThat(retry.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(other.post("/v1/jobs/not-a-uuid/retry-failed", "").status()).isEqualTo(404);
    assertThat(http.get("/v1/jobs/" + id).json().get("state").asString()).isEqualTo("FAILED");
  }

  private static String submit(String body) throws Exception {
    Http.Response r = http.post("/v1/jobs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static QuarryJobs javaClient(String key) {
    return QuarryJobs.connect(server.grpcTarget(), ClientOptions.builder().apiKey(key).build());
  }
}
