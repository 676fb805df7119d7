package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-tenant quotas: clear 413/429 naming the limit, nothing half-created, concurrency capped. */
class QuotasTest {
  static TestServer server;
  static Http operator;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    operator = new Http(server.restUrl(), TestServer.OPERATOR_KEY);
  }

  /** A new tenant with these limits; returns its admin client. */
  static Http tenantWith(String limits) throws Exception {
    String id = "quota-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        operator
            .post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Q\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    Http.Response set = operator.put("/v1/admin/tenants/" + id + "/limits", limits);
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    return new Http(server.restUrl(), key);
  }

  @Test
  void sizeLimitsAnswer413NamingTheLimitAndCreateNothing() throws Exception {
    Http t = tenantWith("{\"maxInputsPerJob\":5,\"maxInputBytes\":100,\"maxRequestBytes\":300}");
    long jobs = RestEndToEndTest.count("jobs");
    String big = "\"" + "x".repeat(150) + "\"";
    String ninety = "\"" + "y".repeat(88) + "\"";
    record Case(Http.Response r, String limit) {}
    var cases =
        List.of(
            new Case(
                t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3,4,5,6]}"),
                "maxInputsPerJob"),
            new Case(
                t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + big + "]}"),
                "maxInputBytes"),
            new Case(
                t.post(
                    "/v1/jobs",
                    "{\"function\":\"echo\",\"inputs\":["
                        + ninety
                        + ","
                        + ninety
                        + ","
                        + ninety
                        + ","
                        + ninety
                        + "]}"),
                "maxRequestBytes"));
    for (Case c : cases) {
      assertThat(c.r().status()).as(c.r().body()).isEqualTo(413);
      assertThat(c.r().json().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
      assertThat(c.r().json().get("reason").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
      assertThat(c.r().json().get("metadata").get("limit").asString()).isEqualTo(c.limit());
      assertThat(c.r().json().get("message").asString()).startsWith(c.limit());
    }
    assertThat(RestEndToEndTest.count("jobs")).isEqualTo(jobs);
    assertThat(t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3,4,5]}").status())
        .isEqualTo(201);
  }

  @Test
  void jobsInFlightLimitAnswers429UntilAJobEnds() throws Exception {
    Http t = tenantWith("{\"maxJobsInFlight\":1}");
    String first =
        t.post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[1500]}")
            .json()
            .get("id")
            .asString();
    long jobs = RestEndToEndTest.count("jobs");
    Http.Response second = t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}");
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().get("code").asString()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(second.json().get("reason").asString()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(second.json().get("metadata").get("limit").asString()).isEqualTo("maxJobsInFlight");
    assertThat(second.json().get("message").asString()).startsWith("maxJobsInFlight");
    assertThat(second.json().get("retryable").asBoolean()).isTrue();
    assertThat(RestEndToEndTest.count("jobs")).isEqualTo(jobs);
    t.post("/v1/jobs/" + first + "/cancel", "");
    assertThat(t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}").status())
        .isEqualTo(201);
  }

  @Test
  void aRefusedSubmitLeavesNothingInStorage() throws Exception {
    String id = "quota-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        operator
            .post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Q\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    assertThat(
            operator.put("/v1/admin/tenants/" + id + "/limits", "{\"maxJobsInFlight\":1}").status())
        .isEqualTo(200);
    Http t = new Http(server.restUrl(), key);
    String first =
        t.post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[1500]}")
            .json()
            .get("id")
            .asString();
    // inputs over the inline limit (4 KiB) are staged in storage before the insert
    String large = "\"" + "z".repeat(6000) + "\"";

    Http.Response refused =
        t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + large + "," + large + "]}");

    assertThat(refused.status()).isEqualTo(429);
    Path jobs = server.dataDir().resolve("tenants").resolve(id).resolve("jobs");
    try (Stream<Path> files = Files.exists(jobs) ? Files.walk(jobs) : Stream.empty()) {
      assertThat(files.filter(Files::isRegularFile).map(jobs::relativize).map(Path::toString))
          .allMatch(p -> p.startsWith(first + "/"));
    }
    t.post("/v1/jobs/" + first + "/cancel", "");
    // the same job, accepted, stages its inputs: the check above can see them
    String accepted =
        t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + large + "]}")
            .json()
            .get("id")
            .asString();
    assertThat(jobs.resolve(accepted).resolve("inputs").resolve("0")).exists();
  }

  @Test
  void concurrentInvocationsOfATenantAreCapped() throws Exception {
    Http t = tenantWith("{\"maxConcurrentInvocations\":1}");
    long start = System.nanoTime();
    String job =
        t.post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[300,300,300,300]}")
            .json()
            .get("id")
            .asString();
    List<tools.jackson.databind.JsonNode> lines =
        RestEndToEndTest.ndjson(t.get("/v1/jobs/" + job + "/results"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(lines)
        .hasSize(4)
        .allSatisfy(l -> assertThat(l.get("state").asString()).isEqualTo("SUCCEEDED"));
    assertThat(lines).allSatisfy(l -> assertThat(l.get("attempts").asInt()).isEqualTo(1));
    // Two workers could run two at once; one at a time takes at least 4 x 300 ms.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(1150);
  }

  @Test
  void requestRateLimitAnswers429PerKey() throws Exception {
    Http t = tenantWith("{\"requestsPerSecond\":3}");
    List<Integer> statuses = new ArrayList<>();
    String message = "";
    tools.jackson.databind.JsonNode limited = null;
    // 30 requests: even at 100 ms each, some second sees more than 3 of them.
    for (int i = 0; i < 30; i++) {
      Http.Response r = t.get("/v1/jobs");
      statuses.add(r.status());
      if (r.status() == 429) {
        message = r.json().get("message").asString();
        limited = r.json();
      }
    }
    assertThat(statuses).contains(429);
    assertThat(statuses.subList(0, 3)).containsOnly(200);
    assertThat(message).contains("requestsPerSecond");
    assertThat(limited.get("reason").asString()).isEqualTo("RATE_LIMITED");
    assertThat(limited.get("metadata").get("limit").asString()).isEqualTo("requestsPerSecond");
  }

  @Test
  void badLimitsAreRejected() throws Exception {
    String id = "quota-" + UUID.randomUUID().toString().substring(0, 8);
    operator.post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Q\"}");
    assertThat(operator.put("/v1/admin/tenants/" + id + "/limits", "{\"maxCpus\":1}").status())
        .isEqualTo(400);
    assertThat(
            operator.put("/v1/admin/tenants/" + id + "/limits", "{\"maxJobsInFlight\":0}").status())
        .isEqualTo(400);
    assertThat(
            operator
                .put("/v1/admin/tenants/" + id + "/limits", "{\"maxJobsInFlight\":\"ten\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            operator
                .put("/v1/admin/tenants/" + id + "/limits", "{\"maxInputsPerJob\":99999999}")
                .status())
        .isEqualTo(400);
    assertThat(operator.put("/v1/admin/tenants/ghost/limits", "{\"maxJobsInFlight\":1}").status())
        .isEqualTo(404);
    assertThat(
            operator
                .get("/v1/admin/tenants/" + id + "/limits")
                .json()
                .get("maxJobsInFlight")
                .asInt())
        .isEqualTo(100);
  }
}
