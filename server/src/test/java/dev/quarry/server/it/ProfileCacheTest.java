package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.testkit.Http;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Profiles are cached per replica: a change made through this replica applies to the next submit,
 * and a change made by another replica as soon as its {@code NOTIFY quarry_profiles} arrives, well
 * before a cached entry would expire on its own (5 s).
 */
class ProfileCacheTest {
  private static final Duration CACHE_TTL = Duration.ofSeconds(5);

  @Test
  void aProfileDeletedHereIsGoneForTheNextSubmit() throws Exception {
    TestServer server = TestServer.get();
    Http admin = new Http(server.restUrl(), server.apiKey);
    String name = "cached-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(admin.put("/v1/profiles/" + name, "{\"backend\":\"local\"}").status())
        .isEqualTo(200);
    assertThat(submit(admin, name).status()).isEqualTo(201);

    assertThat(admin.delete("/v1/profiles/" + name).status()).isEqualTo(200);

    Http.Response gone = submit(admin, name);
    assertThat(gone.status()).as(gone.body()).isEqualTo(404);
    assertThat(gone.json().get("reason").asString()).isEqualTo("PROFILE_NOT_FOUND");
  }

  @Test
  void aProfileDeletedByAnotherReplicaIsGoneAsSoonAsItsNotificationArrives() throws Exception {
    TestServer server = TestServer.get();
    Http admin = new Http(server.restUrl(), server.apiKey);
    String name = "remote-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(admin.put("/v1/profiles/" + name, "{\"backend\":\"local\"}").status())
        .isEqualTo(200);
    long cachedAt = System.nanoTime();
    assertThat(submit(admin, name).status()).isEqualTo(201);
    assertThat(submit(admin, name).status()).as("served from the cache").isEqualTo(201);

    // what another replica's DELETE /v1/profiles/{name} commits
    try (Connection c = server.database.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "delete from backend_profiles where tenant_id = 'default' and name = ?");
          PreparedStatement notify =
              c.prepareStatement("select pg_notify('quarry_profiles', '')")) {
        delete.setString(1, name);
        assertThat(delete.executeUpdate()).isEqualTo(1);
        notify.execute();
      }
      c.commit();
    }

    // the cached entry would still be served until it expires: the notification must come first
    Duration beforeExpiry =
        CACHE_TTL.minusNanos(System.nanoTime() - cachedAt).minus(Duration.ofMillis(300));
    assertThat(beforeExpiry).as("time left to observe the notification").isPositive();
    await()
        .atMost(beforeExpiry)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              Http.Response r = submit(admin, name);
              assertThat(r.status()).as(r.body()).isEqualTo(404);
              assertThat(r.json().get("reason").asString()).isEqualTo("PROFILE_NOT_FOUND");
            });
  }

  private static Http.Response submit(Http admin, String profile) throws Exception {
    return admin.post(
        "/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"profile\":\"" + profile + "\"}");
  }
}
