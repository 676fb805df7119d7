package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.credentials.ProfileService;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue #17, defect 1: a profile whose stored settings would make lane creation allocate 2^31 slots
 * (a row written before settings had ranges) fails its own jobs with a message naming the setting;
 * another tenant's job still runs, and the loops' health shows the dispatcher alive.
 */
class PoisonedProfileTest {

  @Test
  void aPoisonedProfileFailsItsJobsAndNeverStopsAnotherTenants() throws Exception {
    TestServer server = TestServer.get();
    Http admin = new Http(server.restUrl(), server.apiKey);
    Http operator = admin.withKey(TestServer.OPERATOR_KEY);
    assertThat(admin.put("/v1/profiles/p-poison", "{\"backend\":\"local\"}").status())
        .isEqualTo(200);
    try (Connection c = server.database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "update backend_profiles set settings ="
                    + " '{\"slidingWindowSize\":\"2147483647\"}'::jsonb, updated_at = now() where name = 'p-poison'")) {
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    // written behind the server's back: tell it, as a replica's NOTIFY quarry_profiles would
    server.context.getBean(ProfileService.class).invalidateAll();
    String other = "victim-" + UUID.randomUUID().toString().substring(0, 8);
    Http victim =
        admin.withKey(
            operator
                .post("/v1/admin/tenants", "{\"id\":\"" + other + "\",\"name\":\"V\"}")
                .json()
                .get("adminKeySecret")
                .asString());

    Http.Response poisoned =
        admin.post(
            "/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3],\"profile\":\"p-poison\"}");
    assertThat(poisoned.status()).as(poisoned.body()).isEqualTo(201);
    String poisonedId = poisoned.json().get("id").asString();
    String victimId =
        victim
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3]}")
            .json()
            .get("id")
            .asString();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(victim.get("/v1/jobs/" + victimId).json().get("state").asString())
                    .isEqualTo("SUCCEEDED"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var job = admin.get("/v1/jobs/" + poisonedId).json();
              assertThat(job.get("state").asString()).isEqualTo("FAILED");
              assertThat(job.toString()).contains("slidingWindowSize");
            });
    // and the next job of that tenant without the profile still runs
    String after =
        admin
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[4]}")
            .json()
            .get("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(admin.get("/v1/jobs/" + after).json().get("state").asString())
                    .isEqualTo("SUCCEEDED"));

    RawHttp.Answer health = RawHttp.get(server.managementPort, "/actuator/health", "");
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"loops\"");
  }
}
