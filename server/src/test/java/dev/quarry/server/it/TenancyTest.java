package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tenants, keys with roles, revocation, disabling and the audit log through REST. */
class TenancyTest {
  static TestServer server;
  static Http operator;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    operator = new Http(server.restUrl(), TestServer.OPERATOR_KEY);
  }

  static String newTenant() throws Exception {
    String id = "team-" + UUID.randomUUID().toString().substring(0, 8);
    Http op = new Http(TestServer.get().restUrl(), TestServer.OPERATOR_KEY);
    Http.Response r = op.post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Team\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("adminKey").get("role").asString()).isEqualTo("admin");
    return r.json().get("adminKeySecret").asString();
  }

  @Test
  void adminCreatesKeysWhoseSecretIsShownOnceAndRolesApply() throws Exception {
    Http admin = new Http(server.restUrl(), newTenant());
    Http.Response created = admin.post("/v1/keys", "{\"name\":\"ci bot\",\"role\":\"member\"}");
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("secret").asString();
    assertThat(secret).startsWith("qk_" + created.json().get("key").get("prefix").asString() + "_");

    Http member = admin.withKey(secret);
    assertThat(member.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}").status())
        .isEqualTo(201);
    assertThat(member.get("/v1/keys").status()).isEqualTo(403);

    Http.Response list = admin.get("/v1/keys");
    assertThat(list.body())
        .doesNotContain(secret)
        .doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
    JsonNode keys = list.json().get("keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.get(1).get("lastUsedAt").isNull()).isFalse();
  }

  @Test
  void revokedKeyStopsAtOnce() throws Exception {
    Http admin = new Http(server.restUrl(), newTenant());
    Http.Response created = admin.post("/v1/keys", "{\"name\":\"temp\",\"role\":\"viewer\"}");
    Http viewer = admin.withKey(created.json().get("secret").asString());
    assertThat(viewer.get("/v1/jobs").status()).isEqualTo(200);
    String id = created.json().get("key").get("id").asString();
    JsonNode revoked = admin.post("/v1/keys/" + id + "/revoke", "").json();
    assertThat(revoked.get("revokedAt").isNull()).isFalse();
    assertThat(viewer.get("/v1/jobs").status()).isEqualTo(401);
  }

  @Test
  void disabledTenantsKeysStopButItsDataStays() throws Exception {
    String key = newTenant();
    Http admin = new Http(server.restUrl(), key);
    assertThat(admin.get("/v1/jobs").status()).isEqualTo(200);
    String tenant = operator.get("/v1/admin/tenants").body();
    assertThat(tenant).contains("team-");
    String id = admin.get("/v1/keys").json().get("keys").get(0).get("id").asString();
    long keysBefore = RestEndToEndTest.count("api_keys");
    String tenantId = findTenantOfKey(id);
    assertThat(
            operator
                .post("/v1/admin/tenants/" + tenantId + "/disable", "")
                .json()
                .get("disabled")
                .asBoolean())
        .isTrue();
    assertThat(admin.get("/v1/jobs").status()).isEqualTo(401);
    assertThat(RestEndToEndTest.count("api_keys")).isEqualTo(keysBefore);
  }

  @Test
  void auditLogRecordsWhoDidWhat() throws Exception {
    Http admin = new Http(server.restUrl(), newTenant());
    String job =
        admin
            .post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[2000]}")
            .json()
            .get("id")
            .asString();
    admin.post("/v1/jobs/" + job + "/cancel", "");
    Http.Response created = admin.post("/v1/keys", "{\"name\":\"x\",\"role\":\"viewer\"}");
    admin.post("/v1/keys/" + created.json().get("key").get("id").asString() + "/revoke", "");
    JsonNode events = admin.get("/v1/audit").json().get("events");
    assertThat(events)
        .extracting(e -> e.get("action").asString())
        .containsExactly("key.revoke", "key.create", "job.cancel", "job.submit", "tenant.create");
    assertThat(events.get(3).get("target").asString()).startsWith(job);
    assertThat(events.get(3).get("actor").asString()).startsWith("key:");
    assertThat(events.get(4).get("actor").asString()).isEqualTo("operator");
  }

  @Test
  void badTenancyRequestsGetClearErrorsAndChangeNothing() throws Exception {
    Http admin = new Http(server.restUrl(), newTenant());
    long tenants = RestEndToEndTest.count("tenants");
    long keys = RestEndToEndTest.count("api_keys");
    record Case(String name, Http.Response r, int status, String text) {}
    var cases =
        java.util.List.of(
            new Case(
                "bad tenant id",
                operator.post("/v1/admin/tenants", "{\"id\":\"Bad Id\",\"name\":\"x\"}"),
                400,
                "tenant id"),
            new Case(
                "duplicate tenant",
                operator.post("/v1/admin/tenants", "{\"id\":\"default\",\"name\":\"x\"}"),
                409,
                "already exists"),
            new Case(
                "missing name",
                operator.post("/v1/admin/tenants", "{\"id\":\"ok-id\"}"),
                400,
                "name"),
            new Case(
                "unknown field",
                operator.post(
                    "/v1/admin/tenants", "{\"id\":\"ok-id\",\"name\":\"x\",\"plan\":\"gold\"}"),
                400,
                "plan"),
            new Case(
                "unknown tenant", operator.post("/v1/admin/tenants/nope/disable", ""), 404, "nope"),
            new Case(
                "bad role",
                admin.post("/v1/keys", "{\"name\":\"k\",\"role\":\"root\"}"),
                400,
                "role"),
            new Case(
                "bad key name",
                admin.post("/v1/keys", "{\"name\":\"\",\"role\":\"viewer\"}"),
                400,
                "name"),
            new Case(
                "role wrong type",
                admin.post("/v1/keys", "{\"name\":\"k\",\"role\":3}"),
                400,
                "role"),
            new Case("malformed", admin.post("/v1/keys", "{\"name\""), 400, "malformed"),
            new Case(
                "unknown key",
                admin.post("/v1/keys/" + UUID.randomUUID() + "/revoke", ""),
                404,
                "key"),
            new Case("bad key id", admin.post("/v1/keys/xyz/revoke", ""), 404, "xyz"),
            new Case("audit limit", admin.get("/v1/audit?limit=0"), 400, "limit"));
    for (Case c : cases) {
      assertThat(c.r().status()).as(c.name() + ": " + c.r().body()).isEqualTo(c.status());
      assertThat(c.r().json().get("message").asString()).as(c.name()).contains(c.text());
    }
    assertThat(RestEndToEndTest.count("tenants")).isEqualTo(tenants);
    assertThat(RestEndToEndTest.count("api_keys")).isEqualTo(keys);
  }

  private static String findTenantOfKey(String keyId) throws Exception {
    try (var c = server.database.connect();
        var s = c.prepareStatement("select tenant_id from api_keys where id = ?::uuid")) {
      s.setString(1, keyId);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
