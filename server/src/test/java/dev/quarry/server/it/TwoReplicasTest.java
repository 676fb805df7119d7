package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.ServerProcess;
import dev.quarry.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one database and one store, restarted one after the other while a map runs (stop
 * A, start it again, stop B). The map's tasks wait at a gate the test opens at the end, so each
 * stop finds tasks running: it hands them back, and every future still runs to one result on its
 * first attempt (the lease reaper, which would spend an attempt, never gets them).
 *
 * <p>The workers run unsandboxed (trusted mode) so that the gate file is visible to them.
 */
class TwoReplicasTest {
  private static final int INPUTS = 24;
  private static final int LIMIT = 4;

  static TestDatabase db;
  static Path shared;
  static String operatorKey;
  static String masterKeys;
  static final List<ServerProcess> started = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create();
    shared = Files.createTempDirectory("quarry-rolling");
    SecureRandom random = new SecureRandom();
    byte[] token = new byte[16];
    random.nextBytes(token);
    operatorKey = "op-" + HexFormat.of().formatHex(token);
    byte[] master = new byte[32];
    random.nextBytes(master);
    masterKeys = "k1:" + Base64.getEncoder().encodeToString(master);
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (ServerProcess s : started) {
      s.close();
    }
    if (db != null) {
      db.close();
    }
    if (shared != null) {
      ServerFixture.deleteRecursively(shared);
    }
  }

  @Test
  void quotasHoldAcrossReplicasAndAMapSurvivesARollingRestart() throws Exception {
    ServerProcess a = replica("a1");
    ServerProcess b = replica("b1");
    a.awaitUp(Duration.ofMinutes(3));
    b.awaitUp(Duration.ofMinutes(3));
    Http operator = new Http(b.restUrl(), operatorKey);
    Http.Response tenant =
        operator.post("/v1/admin/tenants", "{\"id\":\"rolling\",\"name\":\"Rolling\"}");
    assertThat(tenant.status()).as(tenant.body()).isEqualTo(201);
    String key = tenant.json().get("adminKeySecret").asString();
    Http.Response limits =
        operator.put(
            "/v1/admin/tenants/rolling/limits", "{\"maxConcurrentInvocations\":" + LIMIT + "}");
    assertThat(limits.status()).as(limits.body()).isEqualTo(200);
    awaitBothHeartbeatsAfterBothJoined();
    Http.Response fn =
        new Http(b.restUrl(), key)
            .postBytes(
                "/v1/functions?name=gate&entryClass=dev.quarry.server.testfns.Gate",
                RestEndToEndTest.jarOf("dev/quarry/server/testfns/Gate.class"),
                "application/java-archive");
    assertThat(fn.status()).as(fn.body()).isEqualTo(201);

    Path gate = shared.resolve("gate-open");
    StringBuilder inputs = new StringBuilder();
    for (int i = 0; i < INPUTS; i++) {
      inputs.append(i == 0 ? "" : ",");
      inputs.append("{\"gate\":\"").append(gate).append("\",\"value\":").append(i).append('}');
    }
    Http.Response submitted =
        new Http(a.restUrl(), key)
            .post(
                "/v1/jobs", "{\"function\":\"gate\",\"chunkSize\":1,\"inputs\":[" + inputs + "]}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
    String job = submitted.json().get("id").asString();

    // each replica runs its half of the tenant's quota, and together never more than the quota
    awaitRunningOn("a1", LIMIT / 2);
    awaitRunningOn("b1", LIMIT / 2);
    for (int i = 0; i < 20; i++) {
      assertThat(runningOn("")).as("running invocations of the tenant").isLessThanOrEqualTo(LIMIT);
      Thread.sleep(100);
    }

    // A stops while it holds tasks of the map: they go back to the queue
    a.close();
    assertThat(a.output()).containsPattern("handed [1-9]\\d* running tasks back");
    ServerProcess a2 = replica("a2");
    a2.awaitUp(Duration.ofMinutes(3));
    // then B stops while it holds tasks, and the restarted A finishes the map
    awaitRunningOn("b1", 1);
    b.close();
    assertThat(b.output()).containsPattern("handed [1-9]\\d* running tasks back");
    Files.createFile(gate);

    List<JsonNode> results = results(new Http(a2.restUrl(), key), job);
    assertThat(results).hasSize(INPUTS);
    for (int i = 0; i < INPUTS; i++) {
      JsonNode r = results.get(i);
      assertThat(r.get("index").asInt()).isEqualTo(i);
      assertThat(r.get("state").asString()).as(r.toString()).isEqualTo("SUCCEEDED");
      assertThat(r.get("result").asInt()).isEqualTo(i);
      assertThat(r.get("attempts").asInt())
          .as("handed back, not reclaimed by the reaper: %s", r)
          .isEqualTo(1);
    }
  }

  /** A replica on the shared database and store, started (not yet up). */
  private static ServerProcess replica(String name) throws IOException {
    Path home = Files.createDirectories(shared.resolve(name));
    ServerProcess p =
        ServerProcess.builder(QuarryServer.class, home.resolve("server.log"))
            .arg(
                "--quarry.home=" + home,
                "--quarry.storage.data-dir=" + shared.resolve("data"),
                "--quarry.db.url=" + db.url(),
                "--quarry.db.username=" + db.user(),
                "--quarry.dev-key=false",
                "--server.port=0",
                "--quarry.grpc.port=0",
                "--management.server.port=0",
                "--quarry.backend.pool-size=2",
                "--quarry.dispatch.owner=" + name,
                "--quarry.backend.sandbox=none",
                // the gated tasks never finish while a replica stops: it hands them back
                "--quarry.shutdown.drain-timeout=300ms")
            .env("QUARRY_OPERATOR_KEY", operatorKey)
            .env("QUARRY_SECRETS_MASTER_KEYS", masterKeys)
            .start();
    started.add(p);
    return p;
  }

  /** Waits until the replica {@code name} holds at least {@code tasks} of the map's tasks. */
  private static void awaitRunningOn(String name, int tasks) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> runningOn(name) >= tasks);
  }

  /**
   * Waits until each replica wrote a heartbeat after both had joined: each then read both rows, and
   * knows its share.
   */
  private static void awaitBothHeartbeatsAfterBothJoined() throws SQLException {
    await().atMost(Duration.ofMinutes(1)).until(() -> query("select count(*) from replicas") == 2);
    long joined = query("select (extract(epoch from now()) * 1000)::bigint");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                query(
                        "select count(*) from replicas where heartbeat_at"
                            + " > to_timestamp("
                            + joined
                            + " / 1000.0)")
                    == 2);
  }

  private static long query(String sql) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Tasks leased by the replica (its lease owner is its name plus a unique suffix), or by any
   * replica for {@code ""}.
   */
  private static int runningOn(String name) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from tasks where state = 'RUNNING' and lease_owner like ?")) {
      st.setString(1, name + "/%");
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<JsonNode> results(Http tenant, String job) throws Exception {
    Http.Response r = tenant.get("/v1/jobs/" + job + "/results?order=input");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        lines.add(Http.JSON.readTree(line));
      }
    }
    return lines;
  }
}
