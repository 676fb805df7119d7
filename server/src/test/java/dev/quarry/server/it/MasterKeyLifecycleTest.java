package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Master keys over restarts, on a database of its own: a wrong key stops the server at start,
 * rotation reseals everything under a new key, and the old key can then be removed.
 */
class MasterKeyLifecycleTest {
  static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
  static final String K1_WRONG = "k1:" + Base64.getEncoder().encodeToString(filled(7));
  static final String K2 = "k2:" + Base64.getEncoder().encodeToString(filled(9));
  static TestDatabase db;
  static Path home;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.create();
    home = Files.createTempDirectory("quarry-keys");
  }

  @AfterAll
  static void drop() throws Exception {
    db.close();
    ServerFixture.deleteRecursively(home);
  }

  @Test
  void wrongKeyFailsAtStartAndRotationMovesSecretsToTheNewKey() throws Exception {
    try (var s1 = start(K1, "")) {
      Http admin = s1.http();
      assertThat(
              admin
                  .put(
                      "/v1/credentials/team-aws",
                      "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"arn:aws:iam::1:role/r\",\"externalId\":\"x-secret\"}}")
                  .status())
          .isEqualTo(200);
      assertThat(
              admin
                  .put("/v1/profiles/p", "{\"backend\":\"local\",\"credential\":\"team-aws\"}")
                  .status())
          .isEqualTo(200);
    }

    assertThatThrownBy(() -> start(K1_WRONG, "").close())
        .hasStackTraceContaining(
            "Master key 'k1' is not the key this database's secrets were sealed with");

    try (var s3 = start(K1 + "," + K2, "k2")) {
      Http operator = s3.http(TestServer.OPERATOR_KEY);
      var rotated = operator.post("/v1/admin/secrets/rotate", "").json();
      assertThat(rotated.get("resealed").asInt()).isEqualTo(1);
      assertThat(rotated.get("activeKeyId").asString()).isEqualTo("k2");
    }

    assertThatThrownBy(() -> start(K1, "").close())
        .hasStackTraceContaining("sealed with master key(s) [k2] that are not configured");

    try (var s4 = start(K2, "")) {
      Http admin = s4.http();
      var job = admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[3],\"profile\":\"p\"}");
      assertThat(job.status()).as(job.body()).isEqualTo(201);
      assertThat(admin.get("/v1/audit").body()).contains("credential.use");
    }
  }

  private static ServerFixture start(String keys, String active) throws Exception {
    ServerFixture.Builder server =
        ServerFixture.builder(QuarryServer.class)
            .database(db)
            .home(home)
            .arg(
                "--quarry.backend.pool-size=1",
                "--quarry.operator-key=" + TestServer.OPERATOR_KEY,
                "--quarry.secrets.master-keys=" + keys);
    if (!active.isEmpty()) {
      server.arg("--quarry.secrets.active-key-id=" + active);
    }
    return server.start();
  }

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }
}
