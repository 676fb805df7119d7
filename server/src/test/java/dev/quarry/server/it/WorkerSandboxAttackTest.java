package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.ServerProcess;
import dev.quarry.testkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hostile tenant on the default local backend. The server runs as a child process whose
 * environment holds a canary for every secret the server takes from the environment (operator key,
 * master keys, database password), so a leak through the workers' environment, {@code /proc} or
 * files shows up as a canary in a result. Tenant B registers {@link
 * dev.quarry.server.testfns.Attack} and runs each attack as one task; every attempt must fail and
 * nothing may leak, and tenant A's jobs keep running while B's resource attacks are stopped.
 */
class WorkerSandboxAttackTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OPERATOR_CANARY = "canary-operator-" + token();
  private static final String DB_PASSWORD_CANARY = "canary-dbpass-" + token();
  private static final byte[] MASTER_KEY = new byte[32];
  private static final String MASTER_FILE_CANARY = "canary-master-file-" + token();

  static TestDatabase db;
  static Path home;
  static ServerProcess server;
  static Path serverLog;
  static int httpPort;
  static int grpcPort;
  static Http tenantA;
  static Http tenantB;
  static String masterKeyText;

  @BeforeAll
  static void startServer() throws Exception {
    RANDOM.nextBytes(MASTER_KEY);
    masterKeyText = Base64.getEncoder().encodeToString(MASTER_KEY);
    db = TestDatabase.create();
    home = Files.createTempDirectory("quarry-attack-home");
    // what a dev install keeps in quarry.home besides the config
    Files.writeString(home.resolve("master-key"), MASTER_FILE_CANARY);
    httpPort = freePort();
    grpcPort = freePort();
    serverLog = Path.of("target", "attack-server-" + UUID.randomUUID() + ".log");
    server =
        ServerProcess.builder(QuarryServer.class, serverLog)
            .arg(
                "--quarry.home=" + home,
                "--quarry.db.url=" + db.url(),
                "--quarry.db.username=" + db.user(),
                "--server.port=" + httpPort,
                "--quarry.grpc.port=" + grpcPort,
                "--management.server.port=0",
                "--quarry.backend.pool-size=2",
                "--quarry.dispatch.retry-initial-backoff=50ms")
            .env("QUARRY_OPERATOR_KEY", OPERATOR_CANARY)
            .env("QUARRY_SECRETS_MASTER_KEYS", "canary:" + masterKeyText)
            .env("QUARRY_DB_PASSWORD", DB_PASSWORD_CANARY)
            .start()
            .awaitUp(Duration.ofSeconds(120));
    tenantA = new Http(restUrl(), DevConfig.read(home).apiKey());
    Http operator = new Http(restUrl(), OPERATOR_CANARY);
    Http.Response created =
        operator.post("/v1/admin/tenants", "{\"id\":\"hostile-b\",\"name\":\"Tenant B\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    tenantB = new Http(restUrl(), created.json().get("adminKeySecret").asString());
    Http.Response reg =
        tenantB.postBytes(
            "/v1/functions?name=attack&entryClass=dev.quarry.server.testfns.Attack",
            RestEndToEndTest.jarOf("dev/quarry/server/testfns/Attack.class"),
            "application/java-archive");
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    Http.Response grab =
        tenantB.postBytes(
            "/v1/functions?name=grab&entryClass=dev.quarry.server.testfns.GrantAttack",
            RestEndToEndTest.jarOf("dev/quarry/server/testfns/GrantAttack.class"),
            "application/java-archive");
    assertThat(grab.status()).as(grab.body()).isEqualTo(201);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
    if (home != null) {
      ServerFixture.deleteRecursively(home);
    }
  }

  @Test
  void tenantCodeReadsNoServerFilesProcessesOrEnvironment() throws Exception {
    // tenant A's data on disk: a large input goes to storage
    String large = "tenant-a-secret-".repeat(400);
    String jobA =
        tenantA
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[\"" + large + "\"]}")
            .json()
            .get("id")
            .asString();
    assertThat(tenantA.results(jobA).get(0).get("state").asString()).isEqualTo("SUCCEEDED");
    Path dataDir = home.resolve("data");
    Path inputOfA = dataDir.resolve("tenants/default/jobs/" + jobA + "/inputs/0");
    assertThat(inputOfA).exists();
    long serverPid = server.pid();

    Map<String, String[]> attacks = new LinkedHashMap<>();
    attacks.put("master key file", new String[] {"read", home.resolve("master-key").toString()});
    attacks.put(
        "config with the dev key", new String[] {"read", home.resolve("config").toString()});
    attacks.put("tenant A's input", new String[] {"read", inputOfA.toString()});
    attacks.put("list the data dir", new String[] {"list", dataDir.toString()});
    attacks.put("list quarry.home", new String[] {"list", home.toString()});
    attacks.put("server cmdline", new String[] {"read", "/proc/" + serverPid + "/cmdline"});
    attacks.put("server environ", new String[] {"read", "/proc/" + serverPid + "/environ"});
    attacks.put(
        "database port",
        new String[] {"connect", "127.0.0.1:" + db.url().replaceAll(".*://[^:]+:(\\d+)/.*", "$1")});
    attacks.put("REST port", new String[] {"connect", "127.0.0.1:" + httpPort});
    attacks.put("gRPC port", new String[] {"connect", "127.0.0.1:" + grpcPort});
    attacks.put(
        "REST port on the host address", new String[] {"connect", hostAddress() + ":" + httpPort});

    List<JsonNode> lines = runAttacks(attacks, 0);
    SoftAssertions softly = new SoftAssertions();
    int i = 0;
    for (String name : attacks.keySet()) {
      JsonNode line = lines.get(i++);
      softly.assertThat(line.get("state").asString()).as(name + ": " + line).isEqualTo("SUCCEEDED");
      String result = line.get("result").asString();
      softly.assertThat(result).as(name).startsWith("BLOCKED");
      softly.assertThat(noCanary(result)).as(name + " leaked a secret: " + result).isTrue();
      softly.assertThat(result).as(name).doesNotContain("tenant-a-secret");
    }
    softly.assertAll();
  }

  @Test
  void aThreadLeftRunningCannotUseTheWorkerPipeOnceItsInvocationEnded() throws Exception {
    String large = "\"" + "secret-".repeat(900) + "\"";
    String jobA = echo(tenantA, large);
    String jobB = echo(tenantB, large);
    Path data = home.resolve("data");
    Path inputOfA = data.resolve("tenants/default/jobs/" + jobA + "/inputs/0");
    Path resultOfB;
    try (var results = Files.list(data.resolve("tenants/hostile-b/jobs/" + jobB + "/results"))) {
      resultOfB = results.findFirst().orElseThrow();
    }
    List<Path> victims = List.of(inputOfA, resultOfB);
    Map<Path, byte[]> before = new LinkedHashMap<>();
    for (Path p : victims) {
      before.put(p, Files.readAllBytes(p));
    }
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("function", "grab").put("maxAttempts", 1);
    ObjectNode input = body.putArray("inputs").addObject().put("attack", "linger");
    for (Path p : victims) {
      input.withArray("targets").add(data.relativize(p).toString());
    }
    Http.Response r = tenantB.post("/v1/jobs", body.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode line = tenantB.results(r.json().get("id").asString()).get(0);
    assertThat(line.get("result").asString()).as(line.toString()).startsWith("LINGERING with ");
    long ids = Long.parseLong(line.get("result").asString().replaceAll("\\D+", ""));
    assertThat(ids).as("invocation ids the function found").isPositive();

    // every call reached the backend after the invocation (so the thread is done), and was refused
    for (Path p : victims) {
      String refusal = "denied OP_WRITE of '" + data.relativize(p) + "'";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Files.readString(serverLog).lines().filter(l -> l.contains(refusal)).count()
                      >= ids);
      assertThat(Files.readString(serverLog).lines().filter(l -> l.contains(refusal)))
          .allMatch(l -> l.endsWith("is not running"));
    }
    for (Path p : victims) {
      assertThat(Files.readAllBytes(p)).as(p.toString()).isEqualTo(before.get(p));
    }
    // the worker still serves B
    List<JsonNode> after = runAttacks(Map.of("env again", new String[] {"env", ""}), 0);
    assertThat(after.get(0).get("state").asString()).isEqualTo("SUCCEEDED");
  }

  private static String echo(Http tenant, String input) throws Exception {
    Http.Response r = tenant.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + input + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String job = r.json().get("id").asString();
    assertThat(tenant.results(job).get(0).get("state").asString()).isEqualTo("SUCCEEDED");
    return job;
  }

  @Test
  void tenantCodeSeesNoSecretsInItsEnvironmentAndNoOtherProcess() throws Exception {
    Map<String, String[]> attacks = new LinkedHashMap<>();
    attacks.put("environment", new String[] {"env", ""});
    attacks.put("system properties", new String[] {"props", ""});
    attacks.put("processes", new String[] {"processes", ""});
    List<JsonNode> lines = runAttacks(attacks, 0);
    SoftAssertions softly = new SoftAssertions();
    for (JsonNode line : lines) {
      softly.assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      softly.assertThat(noCanary(line.get("result").asString())).as("secret in " + line).isTrue();
    }
    String env = lines.get(0).get("result").asString();
    softly
        .assertThat(env)
        .doesNotContain("QUARRY_")
        .doesNotContain("AWS_")
        .doesNotContain("JAVA_TOOL");
    String props = lines.get(1).get("result").asString();
    softly
        .assertThat(props)
        .doesNotContain(home.toString())
        .doesNotContain("quarry.worker.cacheDir");
    String processes = lines.get(2).get("result").asString().replaceFirst("^LEAK: ", "");
    // only the sandbox's own init (pid 1 in its namespace, naming the worker) may be visible
    softly
        .assertThat(processes.lines().filter(l -> !l.startsWith("1 bwrap ")))
        .as("processes visible to tenant code")
        .noneMatch(l -> l.contains("QuarryServer"))
        .noneMatch(l -> l.contains("LocalWorkerMain"))
        .noneMatch(l -> l.contains("postgres"));
    softly.assertAll();
  }

  @Test
  void tenantCodeWritesNothingOutsideItsPrivateTempDir() throws Exception {
    Path outsideTmp = Path.of("/tmp", "quarry-attack-" + UUID.randomUUID(), "pwned");
    List<Path> targets =
        List.of(
            home.resolve("pwned"),
            home.resolve("data/tenants/default/pwned"),
            Path.of("target/test-classes/pwned").toAbsolutePath(),
            outsideTmp);
    Map<String, String[]> attacks = new LinkedHashMap<>();
    for (Path t : targets) {
      attacks.put("write " + t, new String[] {"write", t.toString()});
    }
    List<JsonNode> lines = runAttacks(attacks, 0);
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < targets.size(); i++) {
      softly.assertThat(lines.get(i).get("state").asString()).isEqualTo("SUCCEEDED");
      softly.assertThat(targets.get(i)).as(lines.get(i).toString()).doesNotExist();
    }
    softly.assertAll();
  }

  @Test
  void resourceBombsFailOnlyTheirOwnFuturesWhileOtherTenantsRun() throws Exception {
    Map<String, String[]> attacks = new LinkedHashMap<>();
    attacks.put("fork bomb", new String[] {"forkBomb", "1000"});
    attacks.put("heap bomb", new String[] {"heapBomb", "40"});
    attacks.put("native memory bomb", new String[] {"nativeBomb", "48"});
    String bombs = submit(tenantB, attacks, 60_000);
    String echo =
        tenantA
            .post(
                "/v1/jobs", "{\"function\":\"echo\",\"chunkSize\":1,\"inputs\":[1,2,3,4,5,6,7,8]}")
            .json()
            .get("id")
            .asString();

    List<JsonNode> a = tenantA.results(echo);
    assertThat(a).extracting(l -> l.get("state").asString()).containsOnly("SUCCEEDED").hasSize(8);

    List<JsonNode> lines = tenantB.results(bombs);
    JsonNode fork = lines.get(0);
    assertThat(fork.toString()).doesNotContain("LEAK");
    if (fork.get("state").asString().equals("SUCCEEDED")) {
      assertThat(fork.get("result").asString())
          .startsWith("BLOCKED: java.io.IOException: stopped after");
      var count =
          java.util.regex.Pattern.compile("stopped after (\\d+) processes")
              .matcher(fork.get("result").asString());
      assertThat(count.find()).isTrue();
      int started = Integer.parseInt(count.group(1));
      assertThat(started).as("processes a worker could start").isLessThan(256);
    } else {
      // The limit can also stop the worker JVM's own next thread: its future fails, nothing else.
      assertThat(fork.get("state").asString()).as(fork.toString()).isEqualTo("FAILED");
    }
    for (JsonNode bomb : lines.subList(1, 3)) {
      assertThat(bomb.toString()).doesNotContain("LEAK");
      if (bomb.get("state").asString().equals("SUCCEEDED")) {
        assertThat(bomb.get("result").asString()).startsWith("BLOCKED");
      } else {
        assertThat(bomb.get("state").asString()).isEqualTo("FAILED");
      }
    }
    // the pool recovered: B's next job runs
    List<JsonNode> after = runAttacks(Map.of("env again", new String[] {"env", ""}), 0);
    assertThat(after.get(0).get("state").asString()).isEqualTo("SUCCEEDED");
  }

  private static List<JsonNode> runAttacks(Map<String, String[]> attacks, long timeoutMs)
      throws Exception {
    return tenantB.results(submit(tenantB, attacks, timeoutMs));
  }

  private static String submit(Http tenant, Map<String, String[]> attacks, long timeoutMs)
      throws Exception {
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("function", "attack");
    body.put("chunkSize", 1);
    body.put("maxAttempts", 1);
    if (timeoutMs > 0) {
      body.put("timeoutMs", timeoutMs);
    }
    ArrayNode inputs = body.putArray("inputs");
    for (String[] a : attacks.values()) {
      inputs.addObject().put("attack", a[0]).put("arg", a[1]);
    }
    Http.Response r = tenant.post("/v1/jobs", body.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static boolean noCanary(String text) {
    return List.of(
            OPERATOR_CANARY, DB_PASSWORD_CANARY, masterKeyText, MASTER_FILE_CANARY, tenantA.key())
        .stream()
        .noneMatch(text::contains);
  }

  private static String restUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  private static String hostAddress() throws IOException {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
          return address.getHostAddress();
        }
      }
    }
    return "127.0.0.1";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String token() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return new String(Base64.getUrlEncoder().withoutPadding().encode(b), StandardCharsets.US_ASCII);
  }
}
