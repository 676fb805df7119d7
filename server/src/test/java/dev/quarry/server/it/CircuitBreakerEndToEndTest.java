package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A tenant whose invocations keep crashing workers opens its own circuit: its queued tasks wait
 * instead of burning attempts, the job says why, and other tenants keep running.
 */
class CircuitBreakerEndToEndTest {

  @Test
  void crashingTenantOpensItsCircuitAndItsJobSaysWhy() throws Exception {
    TestServer server = TestServer.get();
    Http operator = new Http(server.restUrl(), TestServer.OPERATOR_KEY);
    String tenant = "crashy-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        operator
            .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Crashy\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    Http admin = new Http(server.restUrl(), key);
    String jobId;
    try (var fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(key).build())) {
      var futures =
          fexec.map(CircuitBreakerEndToEndTest::haltWorker, IntStream.range(0, 8).boxed().toList());
      jobId = futures.get(0).jobId();
    }
    String message = JobFixtures.awaitMessage(admin, jobId, "circuit", Duration.ofMinutes(3));
    assertThat(message).startsWith("waiting:").contains("circuit", "open until");
    try (var c = server.database.connect();
        var s = c.prepareStatement("select max(attempt) from tasks where job_id = ?::uuid")) {
      s.setString(1, jobId);
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isLessThanOrEqualTo(3);
      }
    }
    // Another tenant is not affected by this tenant's open circuit.
    Http other = new Http(server.restUrl(), server.apiKey);
    String ok =
        other
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}")
            .json()
            .get("id")
            .asString();
    assertThat(
            RestEndToEndTest.ndjson(other.get("/v1/jobs/" + ok + "/results"))
                .get(0)
                .get("state")
                .asString())
        .isEqualTo("SUCCEEDED");
    assertThat(admin.post("/v1/jobs/" + jobId + "/cancel", "").json().get("state").asString())
        .isEqualTo("CANCELLED");
  }

  static int haltWorker(int x) {
    Runtime.getRuntime().halt(3);
    return x;
  }
}
