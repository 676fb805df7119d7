package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryJobs;
import dev.quarry.testkit.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a future's function printed, through {@code GET /v1/jobs/{id}/futures/{index}/logs}. */
class FutureLogsTest {
  static TestServer server;
  static Http http;
  static String jobId;
  static String otherKey;

  @BeforeAll
  static void runAChattyJob() throws Exception {
    server = TestServer.get();
    otherKey = TenancyTest.newTenant();
    http = new Http(server.restUrl(), server.apiKey);
    Http.Response reg =
        http.postBytes(
            "/v1/functions?name=chatty&entryClass=dev.quarry.server.testfns.Chatty",
            RestEndToEndTest.jarOf("dev/quarry/server/testfns/Chatty.class"),
            "application/java-archive");
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    jobId =
        http.post("/v1/jobs", "{\"function\":\"chatty\",\"inputs\":[\"one\",\"quiet\",\"three\"]}")
            .json()
            .get("id")
            .asString();
    // the stream ends when the job has ended
    assertThat(RestEndToEndTest.ndjson(http.get("/v1/jobs/" + jobId + "/results"))).hasSize(3);
  }

  @Test
  void returnsWhatEachFutureWroteToStdoutAndStderrAsText() throws Exception {
    Http.Response first = http.get("/v1/jobs/" + jobId + "/futures/0/logs");
    Http.Response third = http.get("/v1/jobs/" + jobId + "/futures/2/logs");

    assertThat(first.status()).isEqualTo(200);
    assertThat(contentType("/v1/jobs/" + jobId + "/futures/0/logs")).startsWith("text/plain");
    assertThat(first.body()).isEqualTo("out one\nerr one\n");
    assertThat(third.body()).isEqualTo("out three\nerr three\n");
  }

  @Test
  void aFutureThatPrintedNothingHasAnEmptyLog() throws Exception {
    Http.Response quiet = http.get("/v1/jobs/" + jobId + "/futures/1/logs");

    assertThat(quiet.status()).isEqualTo(200);
    assertThat(quiet.body()).isEmpty();
  }

  @Test
  void anotherTenantsJobAndAMissingFutureAre404WithAReason() throws Exception {
    Http other = http.withKey(otherKey);

    Http.Response foreign = other.get("/v1/jobs/" + jobId + "/futures/0/logs");
    Http.Response missingJob =
        http.get("/v1/jobs/00000000-0000-4000-8000-000000000000/futures/0/logs");
    Http.Response outOfRange = http.get("/v1/jobs/" + jobId + "/futures/3/logs");
    Http.Response notANumber = http.get("/v1/jobs/" + jobId + "/futures/-1/logs");

    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(foreign.body()).doesNotContain("out one");
    assertThat(missingJob.status()).isEqualTo(404);
    assertThat(missingJob.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(outOfRange.status()).isEqualTo(404);
    assertThat(outOfRange.json().get("reason").asString()).isEqualTo("NOT_FOUND");
    assertThat(notANumber.status()).isEqualTo(400);
  }

  @Test
  void theJavaClientReadsLogsOverGrpcAndGetsTheSameNotFoundReasons() {
    try (QuarryJobs jobs =
            QuarryJobs.connect(
                server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build());
        QuarryJobs other =
            QuarryJobs.connect(
                server.grpcTarget(), ClientOptions.builder().apiKey(otherKey).build())) {
      assertThat(jobs.logs(jobId, 2)).isEqualTo("out three\nerr three\n");
      assertThat(jobs.logs(jobId, 1)).isEmpty();
      assertThatThrownBy(() -> jobs.logs(jobId, 3))
          .isInstanceOfSatisfying(
              QuarryException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_FOUND));
      assertThatThrownBy(() -> other.logs(jobId, 0))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND));
    }
  }

  @Test
  void aJavaFutureReadsWhatItsLambdaPrinted() throws Exception {
    try (FunctionExecutor fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build())) {
      List<JobFuture<Integer>> futures =
          fexec.map(
              (Integer x) -> {
                System.out.print("x=" + x);
                return x * 2;
              },
              List.of(20, 21));
      assertThat(fexec.getResult(futures)).containsExactly(40, 42);

      assertThat(futures.get(1).logs()).isEqualTo("x=21");
      assertThat(futures.get(0).logs()).isEqualTo("x=20");
    }
  }

  private static String contentType(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.restUrl() + path))
              .header("Authorization", "Bearer " + server.apiKey)
              .build();
      return client
          .send(request, HttpResponse.BodyHandlers.discarding())
          .headers()
          .firstValue("Content-Type")
          .orElse("");
    }
  }
}
