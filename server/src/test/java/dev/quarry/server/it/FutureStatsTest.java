package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.FutureStats;
import dev.quarry.client.JobFuture;
import dev.quarry.client.JobInfo;
import dev.quarry.client.JobSummary;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryJobs;
import dev.quarry.testkit.Http;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Per-future statistics and job summaries through REST ({@code /futures/{index}/stats}, {@code
 * /summary}), gRPC and the Java client, with what the worker measured.
 */
class FutureStatsTest {
  static TestServer server;
  static Http http;
  static String jobId;
  static String otherKey;

  @BeforeAll
  static void runAnEchoJob() throws Exception {
    server = TestServer.get();
    otherKey = TenancyTest.newTenant();
    http = new Http(server.restUrl(), server.apiKey);
    jobId =
        http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[\"abc\",[1,2,3],7]}")
            .json()
            .get("id")
            .asString();
    assertThat(RestEndToEndTest.ndjson(http.get("/v1/jobs/" + jobId + "/results"))).hasSize(3);
  }

  @Test
  void aFuturesStatsCountTheBytesOfItsInputAndResultAndItsTimes() throws Exception {
    JsonNode s = http.get("/v1/jobs/" + jobId + "/futures/1/stats").json();

    assertThat(s.get("index").asInt()).isEqualTo(1);
    assertThat(s.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(s.get("attempts").asInt()).isEqualTo(1);
    // echo returns its JSON input: [1,2,3] is 7 bytes each way
    assertThat(s.get("bytesRead").asLong()).isEqualTo(7);
    assertThat(s.get("bytesWritten").asLong()).isEqualTo(7);
    assertThat(s.get("peakMemoryBytes").asLong()).isPositive();
    assertThat(s.get("cpuMs").asLong()).isNotNegative();
    assertThat(s.get("queueMs").asLong()).isNotNegative();
    assertThat(s.get("workerId").asString()).isNotBlank();
    assertThat(s.get("startedAt").isNull()).isFalse();
    assertThat(s.get("finishedAt").isNull()).isFalse();
    assertThat(s.get("billedMs").asLong()).isZero();
  }

  @Test
  void theSummaryCountsEveryFutureAndHasNoCostModelOnLocalWorkers() throws Exception {
    JsonNode s = http.get("/v1/jobs/" + jobId + "/summary").json();
    JsonNode t = s.get("totals");

    assertThat(s.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(s.get("backend").asString()).isEqualTo("local");
    assertThat(t.get("total").asInt()).isEqualTo(3);
    assertThat(t.get("succeeded").asInt()).isEqualTo(3);
    assertThat(t.get("started").asInt()).isEqualTo(3);
    assertThat(t.get("attempts").asLong()).isEqualTo(3);
    // "abc" (5 bytes), [1,2,3] (7), 7 (1)
    assertThat(t.get("bytesRead").asLong()).isEqualTo(13);
    assertThat(t.get("bytesWritten").asLong()).isEqualTo(13);
    JsonNode d = t.get("duration");
    assertThat(d.get("p50Ms").asDouble()).isLessThanOrEqualTo(d.get("p95Ms").asDouble());
    assertThat(d.get("p95Ms").asDouble()).isLessThanOrEqualTo(d.get("p99Ms").asDouble());
    assertThat(d.get("p99Ms").asDouble()).isLessThanOrEqualTo(d.get("maxMs").asDouble());
    assertThat(s.get("cost").get("available").asBoolean()).isFalse();
    assertThat(s.get("cost").get("reason").asString()).contains("no cost model");
  }

  @Test
  void anotherTenantsJobAndAMissingFutureAre404WithAReason() throws Exception {
    Http other = http.withKey(otherKey);

    Http.Response foreignStats = other.get("/v1/jobs/" + jobId + "/futures/0/stats");
    Http.Response foreignSummary = other.get("/v1/jobs/" + jobId + "/summary");
    Http.Response missing = http.get("/v1/jobs/00000000-0000-4000-8000-000000000000/summary");
    Http.Response outOfRange = http.get("/v1/jobs/" + jobId + "/futures/3/stats");
    Http.Response notANumber = http.get("/v1/jobs/" + jobId + "/futures/x/stats");

    assertThat(foreignStats.status()).isEqualTo(404);
    assertThat(foreignStats.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(foreignSummary.status()).isEqualTo(404);
    assertThat(foreignSummary.json().get("reason").asString()).isEqualTo("JOB_NOT_FOUND");
    assertThat(foreignSummary.body())
        .isEqualTo(missing.body().replace("00000000-0000-4000-8000-000000000000", jobId));
    assertThat(outOfRange.status()).isEqualTo(404);
    assertThat(outOfRange.json().get("reason").asString()).isEqualTo("NOT_FOUND");
    assertThat(notANumber.status()).isEqualTo(400);
  }

  @Test
  void theJavaClientReadsStatsAndSummariesOverGrpc() {
    try (QuarryJobs jobs =
            QuarryJobs.connect(
                server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build());
        QuarryJobs other =
            QuarryJobs.connect(
                server.grpcTarget(), ClientOptions.builder().apiKey(otherKey).build())) {
      FutureStats s = jobs.stats(jobId, 0);
      JobSummary summary = jobs.summary(jobId);

      assertThat(s.state()).isEqualTo("SUCCEEDED");
      assertThat(s.bytesRead()).isEqualTo(5);
      assertThat(s.worker()).isPresent();
      assertThat(summary.state()).isEqualTo(JobInfo.State.SUCCEEDED);
      assertThat(summary.succeeded()).isEqualTo(3);
      assertThat(summary.bytesWritten()).isEqualTo(13);
      assertThat(summary.cost().available()).isFalse();
      assertThatThrownBy(() -> jobs.stats(jobId, 3))
          .isInstanceOfSatisfying(
              QuarryException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_FOUND));
      assertThatThrownBy(() -> other.summary(jobId))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND));
      assertThatThrownBy(() -> other.stats(jobId, 0))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND));
    }
  }

  @Test
  void aJavaFutureReportsTheCpuTimeItsFunctionSpent() throws Exception {
    try (FunctionExecutor fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build())) {
      List<JobFuture<Long>> futures =
          fexec.map(
              (Integer ms) -> {
                // spin on this thread's CPU clock, so the figure does not depend on the machine
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long until = threads.getCurrentThreadCpuTime() + ms * 1_000_000L;
                long spins = 0;
                while (threads.getCurrentThreadCpuTime() < until) {
                  spins++;
                }
                return spins;
              },
              List.of(300));
      fexec.getResult(futures);

      FutureStats s = futures.get(0).stats();
      JobSummary summary = fexec.summary(futures.get(0).jobId());

      // the CPU clock runs at most as fast as the wall clock (both truncated to milliseconds, and
      // read a few microseconds apart)
      assertThat(s.cpuTime()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(s.cpuTime()).isLessThanOrEqualTo(s.duration().plusMillis(2));
      assertThat(summary.cpuMs()).isEqualTo(s.cpuTime().toMillis());
      assertThat(summary.duration().maxMs()).isEqualTo(s.duration().toMillis());
    }
  }
}
