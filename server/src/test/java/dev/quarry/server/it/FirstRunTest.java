package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The server as a new user starts it ({@code ./quarry up}: no configuration, embedded PostgreSQL
 * under {@code ~/.quarry}), in a child JVM with its own empty {@code user.home}, and restarted
 * after {@code kill -9} of the server (and of its PostgreSQL) in the middle of a job.
 */
class FirstRunTest {
  private static final Duration START = Duration.ofMinutes(3);
  private static final int INPUTS = 24;

  Path userHome;
  Path workDir;
  Path quarryHome;

  @BeforeEach
  void folders() throws Exception {
    userHome = Files.createTempDirectory("quarry-user-home");
    workDir = Files.createTempDirectory("quarry-workdir");
    quarryHome = userHome.resolve(".quarry");
  }

  @AfterEach
  void stopLeftoverPostgres() throws Exception {
    // a failed assertion may leave the embedded PostgreSQL of a killed server running
    dev.quarry.server.db.EmbeddedPostgresStarter.stopOrphan(quarryHome.resolve("pg"), START);
    ServerFixture.deleteRecursively(userHome);
    ServerFixture.deleteRecursively(workDir);
  }

  @Test
  void startsWithNoConfigurationAndRestartsAtFirstAttemptAfterTheServerWasKilledMidJob()
      throws Exception {
    killMidJobThenRestart(false);
  }

  @Test
  void restartsAtFirstAttemptAfterTheServerAndItsPostgresWereKilled() throws Exception {
    killMidJobThenRestart(true);
  }

  private void killMidJobThenRestart(boolean alsoKillPostgres) throws Exception {
    String[] args = {"--quarry.dispatch.reaper-interval=500ms"};
    String job;
    String key;
    try (ServerProcess first = start("first.log", args).awaitUp(START)) {
      firstStartChecks(first);
      key = DevConfig.read(quarryHome).apiKey();
      Http http = new Http(first.restUrl(), key);
      String inputs = String.join(",", IntStream.range(0, INPUTS).mapToObj(i -> "200").toList());
      job =
          http.post(
                  "/v1/jobs",
                  "{\"function\":\"sleep\",\"chunkSize\":1,\"inputs\":[" + inputs + "]}")
              .json()
              .get("id")
              .asString();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> http.get("/v1/jobs/" + job).json().get("succeeded").asInt() >= 2);
      long postgres = postmasterPid();
      first.kill();
      if (alsoKillPostgres) {
        ProcessHandle.of(postgres).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(postgres).isEmpty());
      }
    }

    try (ServerProcess second = start("second.log", args).awaitUp(START)) {
      Http http = new Http(second.restUrl(), key);
      List<JsonNode> results =
          RestEndToEndTest.ndjson(http.get("/v1/jobs/" + job + "/results?order=input"));
      assertThat(results)
          .extracting(r -> r.get("index").asInt())
          .containsExactlyElementsOf(IntStream.range(0, INPUTS).boxed().toList());
      assertThat(results)
          .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("SUCCEEDED"));
      assertThat(results).allSatisfy(r -> assertThat(r.get("result").asInt()).isEqualTo(200));
      assertThat(http.get("/v1/jobs/" + job).json().get("state").asString()).isEqualTo("SUCCEEDED");
      assertThat(countRows("select count(*) from tasks where job_id = '" + job + "'"))
          .isEqualTo(INPUTS);
    }
  }

  /**
   * A server started as {@code ./quarry up} starts it: no {@code quarry.home}, no database URL (so
   * the embedded PostgreSQL), {@code user.home} pointing at the test's folder, one worker.
   */
  private ServerProcess start(String log, String... args) throws Exception {
    return ServerProcess.builder(QuarryServer.class, workDir.resolve(log))
        .workDir(workDir)
        .jvmArg("-Duser.home=" + userHome, "-Xmx512m")
        .arg(
            "--server.port=0",
            "--quarry.grpc.port=0",
            "--management.server.port=0",
            "--quarry.backend.pool-size=1")
        .arg(args)
        .start();
  }

  /** What a brand-new user gets: everything under {@code ~/.quarry}, a durable database. */
  private void firstStartChecks(ServerProcess server) throws Exception {
    assertThat(quarryHome.resolve("pg/PG_VERSION")).exists();
    DevConfig config = DevConfig.read(quarryHome);
    assertThat(config.apiKey()).startsWith("qk_");
    assertThat(config.restUrl()).isEqualTo(server.restUrl());
    try (Stream<Path> created = Files.list(workDir)) {
      assertThat(created.map(p -> p.getFileName().toString()))
          .as("nothing but the log is created in the working directory")
          .containsExactly("first.log");
    }
    assertThat(setting("fsync")).isEqualTo("on");
    assertThat(setting("synchronous_commit")).isEqualTo("on");
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(
        Files.readAllLines(quarryHome.resolve("pg/postmaster.pid")).get(0).trim());
  }

  private String jdbcUrl() throws Exception {
    String port = Files.readAllLines(quarryHome.resolve("pg/postmaster.pid")).get(3).trim();
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  private String setting(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private long countRows(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
