package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.storage.ObjectStore;
import dev.quarry.testkit.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hostile tenant on the Lambda backend (the emulator's child JVMs run the real worker handler,
 * storage is s3proxy). Tenant B's {@link dev.quarry.server.testfns.GrantAttack} looks for the
 * server's secrets in its environment, and finds the pre-signed URLs of its own invocation in its
 * heap to read, list and overwrite tenant A's objects, its own earlier results and another job's
 * inputs with them, and to use them again after they expired. Every attempt must fail and every
 * object stay as it was. Shares the test JVM's {@link LambdaStack}.
 */
class LambdaSandboxAttackTest {
  private static final String TENANT_B = "hostile-lambda";
  private static final String PROFILE_B = "hostile";
  private static final Pattern SIGNED_AT = Pattern.compile("X-Amz-Date=(\\d{8}T\\d{6}Z)");
  private static final Pattern EXPIRES = Pattern.compile("X-Amz-Expires=(\\d+)");

  static LambdaStack stack;
  static ObjectStore store;
  static Http tenantA;
  static Http tenantB;
  static Map<String, byte[]> victims = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    stack = LambdaStack.get();
    store = stack.context.getBean(ObjectStore.class);
    tenantA = stack.admin;
    Http operator = tenantA.withKey(TestServer.OPERATOR_KEY);
    Http.Response created =
        operator.post(
            "/v1/admin/tenants", "{\"id\":\"" + TENANT_B + "\",\"name\":\"Tenant B on Lambda\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    tenantB = tenantA.withKey(created.json().get("adminKeySecret").asString());
    LambdaStack.storeCredential(tenantB);
    // a memory size of its own: B's instances serve only B, one at a time (so a later invocation
    // finds what an earlier one left in the JVM); its URLs expire a second after each deadline
    stack.profile(
        tenantB, PROFILE_B, Map.of("memory", "704", "concurrency", "1", "grantGraceSeconds", "1"));
    stack.profile("aws-victim", Map.of());
    Http.Response reg =
        tenantB.postBytes(
            "/v1/functions?name=grab&entryClass=dev.quarry.server.testfns.GrantAttack",
            RestEndToEndTest.jarOf("dev/quarry/server/testfns/GrantAttack.class"),
            "application/java-archive");
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);

    // tenant A's job and an earlier job of B, each with a stored input and a stored result
    String large = "\"" + "secret-of-a-".repeat(40) + "\"";
    String jobA = echo(tenantA, "aws-victim", large);
    String jobB = echo(tenantB, PROFILE_B, large.replace("-of-a-", "-of-b-"));
    for (String prefix :
        List.of(
            "tenants/default/jobs/" + jobA + "/", "tenants/" + TENANT_B + "/jobs/" + jobB + "/")) {
      for (String key : store.list(prefix)) {
        victims.put(key, store.read(key).orElseThrow());
      }
    }
    assertThat(victims.keySet())
        .as("inputs and results of the victims' jobs")
        .anyMatch(k -> k.startsWith("tenants/default/") && k.contains("/inputs/"))
        .anyMatch(k -> k.startsWith("tenants/default/") && k.contains("/results/"))
        .anyMatch(k -> k.startsWith("tenants/" + TENANT_B) && k.contains("/inputs/"))
        .anyMatch(k -> k.startsWith("tenants/" + TENANT_B) && k.contains("/results/"));
  }

  @Test
  void theLambdaWorkersEnvironmentHoldsNoSecretOfTheServerOrOfATeam() throws Exception {
    String env = attack(Map.of("attack", "env"), 0).get("result").asString();

    assertThat(env).startsWith("ENV: {").contains("AWS_LAMBDA_FUNCTION_NAME");
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, String> canary : canaries().entrySet()) {
      softly.assertThat(env).as(canary.getKey()).doesNotContain(canary.getValue());
    }
    softly.assertThat(env).doesNotContain("QUARRY_").doesNotContain("AWS_SECRET_ACCESS_KEY");
    softly.assertAll();
  }

  @Test
  void theInvocationsOwnUrlsOpenNoOtherObjectListNothingAndWriteNothingElse() throws Exception {
    String result = abuse(PROFILE_B);

    assertThat(result).startsWith("BLOCKED: ");
    Matcher urls = Pattern.compile("(\\d+) attempts with (\\d+) URLs").matcher(result);
    assertThat(urls.find()).as(result).isTrue();
    assertThat(Integer.parseInt(urls.group(2)))
        .as("URLs found in the worker's heap")
        .isGreaterThan(1);
    assertVictimsUnchanged();
  }

  @Test
  void anotherTenantsWarmWorkerNeverRunsTenantBsCodeOnTheSameFunctionSettings() throws Exception {
    // this profile of B has the memory, architecture and AWS account of A's profile
    stack.profile(tenantB, "hostile-shared", Map.of("memory", "512", "concurrency", "1"));
    String jobA = echo(tenantA, "aws-victim", "\"" + "fresh-secret-of-a-".repeat(30) + "\"");
    for (String key : store.list("tenants/default/jobs/" + jobA + "/")) {
      victims.put(key, store.read(key).orElseThrow());
    }

    String result = abuse("hostile-shared");

    assertThat(result).startsWith("BLOCKED: ");
    assertThat(result.substring(result.indexOf("held [")))
        .as("URLs B found in its worker")
        .doesNotContain("tenants/default/");
    assertVictimsUnchanged();
  }

  @Test
  void urlsKeptByAnEarlierInvocationAreRefusedOnceTheyExpired() throws Exception {
    // a stored input (over 256 bytes), a result and a log: one URL to read, two to write
    String job =
        submit(
            PROFILE_B,
            Http.JSON.createObjectNode().put("attack", "capture").put("pad", "x".repeat(400)),
            4_000);
    String text = line(job).get("result").asString();
    assertThat(text).startsWith("CAPTURED ").contains("/jobs/" + job + "/inputs/0?");
    Instant expiry = latestExpiry(text, job);
    assertThat(expiry).isBefore(Instant.now().plusSeconds(30));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));

    String replay = attack(Map.of("attack", "replay", "job", job), 0).get("result").asString();

    assertThat(replay).isEqualTo("BLOCKED: 3 captured URLs replayed");
    for (String key : store.list("tenants/" + TENANT_B + "/jobs/" + job + "/")) {
      assertThat(new String(store.read(key).orElseThrow(), StandardCharsets.UTF_8))
          .as(key)
          .doesNotContain("overwritten after expiry");
    }
    assertVictimsUnchanged();
  }

  private static void assertVictimsUnchanged() {
    SoftAssertions softly = new SoftAssertions();
    victims.forEach(
        (key, bytes) ->
            softly
                .assertThat(store.read(key))
                .as(key)
                .hasValueSatisfying(now -> assertThat(now).isEqualTo(bytes)));
    softly.assertAll();
  }

  /** The latest expiry of the pre-signed URLs of {@code job}'s objects listed in {@code text}. */
  private static Instant latestExpiry(String text, String job) {
    Instant latest = Instant.EPOCH;
    for (String url : text.split("[\\[\\], ]+")) {
      if (!url.contains("/jobs/" + job + "/")) {
        continue;
      }
      Matcher at = SIGNED_AT.matcher(url);
      Matcher expires = EXPIRES.matcher(url);
      if (at.find() && expires.find()) {
        Instant signed =
            LocalDateTime.parse(at.group(1), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                .toInstant(ZoneOffset.UTC);
        Instant end = signed.plusSeconds(Long.parseLong(expires.group(1)));
        latest = end.isAfter(latest) ? end : latest;
      }
    }
    assertThat(latest).as("expiry of the captured URLs in " + text).isAfter(Instant.EPOCH);
    return latest;
  }

  /** Every secret the server or a team holds that tenant code must never see. */
  private static Map<String, String> canaries() throws Exception {
    Map<String, String> canaries = new LinkedHashMap<>();
    canaries.put("server's S3 secret key", LambdaStack.S3_CREDENTIAL);
    canaries.put("team's AWS secret key", LambdaStack.AWS_SECRET);
    canaries.put("operator key", TestServer.OPERATOR_KEY);
    canaries.put("tenant A's API key", tenantA.key());
    canaries.put("tenant B's API key", tenantB.key());
    String password = stack.database.password();
    if (password != null && password.length() >= 6) {
      canaries.put("database password", password);
    }
    Path masterKey =
        Path.of(
            stack.context.getEnvironment().getProperty("quarry.home", "/nonexistent"),
            "master-key");
    if (Files.isRegularFile(masterKey)) {
      canaries.put("master key", Files.readString(masterKey).strip());
    }
    return canaries;
  }

  /** B's function with the URLs it finds against every victim object, on {@code profile}. */
  private static String abuse(String profile) throws Exception {
    ObjectNode input =
        Http.JSON
            .createObjectNode()
            .put("attack", "abuse")
            .put("self", "tenants/" + TENANT_B + "/");
    victims.keySet().forEach(input.putArray("targets")::add);
    return line(submit(profile, input, 0)).get("result").asString();
  }

  private static JsonNode attack(Map<String, String> input, long timeoutMs) throws Exception {
    ObjectNode node = Http.JSON.createObjectNode();
    input.forEach(node::put);
    return line(submit(PROFILE_B, node, timeoutMs));
  }

  private static String submit(String profile, ObjectNode input, long timeoutMs) throws Exception {
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("function", "grab").put("profile", profile).put("maxAttempts", 1);
    if (timeoutMs > 0) {
      body.put("timeoutMs", timeoutMs);
    }
    body.putArray("inputs").add(input);
    Http.Response r = tenantB.post("/v1/jobs", body.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static JsonNode line(String job) throws Exception {
    List<JsonNode> lines = RestEndToEndTest.ndjson(tenantB.get("/v1/jobs/" + job + "/results"));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("state").asString()).as(lines.toString()).isEqualTo("SUCCEEDED");
    return lines.get(0);
  }

  private static String echo(Http tenant, String profile, String input) throws Exception {
    Http.Response r =
        tenant.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"profile\":\"" + profile + "\",\"inputs\":[" + input + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String job = r.json().get("id").asString();
    List<JsonNode> lines = RestEndToEndTest.ndjson(tenant.get("/v1/jobs/" + job + "/results"));
    assertThat(lines).extracting(l -> l.get("state").asString()).containsExactly("SUCCEEDED");
    return job;
  }
}
