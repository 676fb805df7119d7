package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.azure.emulator.AzureEmulatorOptions;
import dev.quarry.azure.emulator.AzureFunctionsEmulator;
import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionContext;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.emulator.stats.InvocationStats;
import dev.quarry.examples.ThreeClouds;
import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.server.QuarryServer;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.AzuriteFixture;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import dev.quarry.testkit.S3Fixture;
import dev.quarry.testkit.ServerFixture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Maps on Azure Functions, end to end against the Azure Functions emulator: the server deploys the
 * worker app through the App Service SDK with the profile's service principal (run from a package
 * it uploads to the storage account), invokes the HTTP trigger with the function key, and the real
 * handler in child JVMs reads and writes Azure Blob storage (Azurite) through SAS URLs.
 */
class AzureFunctionsBackendTest {
  static final String AWS_KEY_ID = "test-access-key-id-clouds";
  static final String AWS_SECRET = "clouds-test-secret-not-real";
  static final String TEAM_BUCKET = "team-clouds";
  static AzuriteFixture azurite;
  static AzureFunctionsEmulator azure;
  static S3Fixture s3;
  static LambdaEmulator lambda;
  static ServerFixture server;
  static LoopbackForwarder publicUrl;
  static Http admin;

  @BeforeAll
  static void setUp() throws Exception {
    azurite = AzuriteFixture.start();
    azure =
        AzureFunctionsEmulator.start(
            AzureEmulatorOptions.builder()
                .maxInstancesPerFunction(2)
                .instanceMemoryMb(512)
                .storageAccount(
                    AzuriteFixture.ACCOUNT, AzuriteFixture.ACCOUNT_KEY, azurite.endpoint())
                .build());
    // a team's own S3 bucket and Lambda beside the server's Azure Blob storage
    s3 = S3Fixture.start(AWS_KEY_ID, AWS_SECRET);
    Map<String, String> team = s3.storeSettings(TEAM_BUCKET);
    team.put("createBucket", "true");
    ObjectStores.open("s3", team).close();
    lambda =
        LambdaEmulator.start(
            EmulatorOptions.builder()
                .credentials(AWS_KEY_ID, AWS_SECRET)
                .region("us-east-1")
                .maxInstancesPerFunction(2)
                .stateTransitionDelay(Duration.ofMillis(200))
                .build());
    // context functions call the server back at its public URL: a forwarder on a free port,
    // pointed at the server once it has picked its own port
    publicUrl = new LoopbackForwarder();
    server =
        ServerFixture.builder(QuarryServer.class)
            .arg("--quarry.backend.pool-size=1")
            .arg("--quarry.public-url=http://127.0.0.1:" + publicUrl.port())
            .args(azurite.serverArgs("quarry-azure"))
            .arg(
                "--quarry.azure.allow-endpoint-override=true",
                "--quarry.azure.trust-store=" + azure.trustStore(),
                "--quarry.azure.trust-store-password=emulator",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.lambda.allow-endpoint-override=true",
                "--quarry.storage.profile-bucket-endpoint=" + s3.endpoint())
            .start();
    publicUrl.target(server.httpPort());
    admin = server.http();
    AzureEmulatorOptions o = azure.options();
    Http.Response credential =
        admin.put(
            "/v1/credentials/team-azure",
            Http.JSON.writeValueAsString(
                Map.of(
                    "kind",
                    "azure",
                    "fields",
                    Map.of(
                        "tenantId", o.tenantId(),
                        "clientId", o.clientId(),
                        "clientSecret", o.clientSecret(),
                        "subscriptionId", o.subscriptionId()))));
    assertThat(credential.status()).as(credential.body()).isEqualTo(200);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    if (azure != null) {
      azure.close();
    }
    if (azurite != null) {
      azurite.close();
    }
    if (lambda != null) {
      lambda.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (publicUrl != null) {
      publicUrl.close();
    }
  }

  @AfterEach
  void noFaults() {
    azure.faults().reset();
  }

  static List<JsonNode> run(String profile, int n, int maxAttempts) throws Exception {
    String body =
        "{\"function\":\"echo\",\"profile\":\""
            + profile
            + "\",\"maxAttempts\":"
            + maxAttempts
            + ",\"inputs\":["
            + String.join(",", IntStream.range(0, n).mapToObj(Integer::toString).toList())
            + "]}";
    Http.Response submit = admin.post("/v1/jobs", body);
    assertThat(submit.status()).as(submit.body()).isEqualTo(201);
    return RestEndToEndTest.ndjson(
        admin.get("/v1/jobs/" + submit.json().get("id").asString() + "/results"));
  }

  static Http.Response profile(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> settings =
        new TreeMap<>(
            Map.of(
                "resourceGroup", "quarry-rg",
                "region", "westeurope",
                "storageAccount", AzuriteFixture.ACCOUNT,
                "memory", "512",
                "timeout", "120",
                "concurrency", "4",
                "authorityHost", azure.endpoint().toString(),
                "resourceManagerEndpoint", azure.endpoint().toString()));
    settings.putAll(overrides);
    return admin.put(
        "/v1/profiles/" + name,
        Http.JSON.writeValueAsString(
            Map.of(
                "backend", "azure-functions", "settings", settings, "credential", "team-azure")));
  }

  @Test
  void aMapRunsOnAzureFunctionsColdThenWarmWithDataInBlobStorage() throws Exception {
    Http.Response created = profile("azure", Map.of());
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String body =
        "{\"function\":\"echo\",\"profile\":\"azure\",\"inputs\":["
            + String.join(
                ",",
                IntStream.range(0, 12)
                    .mapToObj(i -> "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i * 40) + "\"}")
                    .toList())
            + "]}";
    long coldBefore = azure.stats().coldStarts();
    Http.Response submit = admin.post("/v1/jobs", body);
    assertThat(submit.status()).as(submit.body()).isEqualTo(201);
    String job = submit.json().get("id").asString();

    List<JsonNode> lines = RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"));

    assertThat(lines).hasSize(12);
    for (JsonNode line : lines) {
      int i = line.get("index").asInt();
      assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      assertThat(line.get("result").get("n").asInt()).isEqualTo(i);
      assertThat(line.get("result").get("pad").asString()).hasSize(i * 40);
      assertThat(line.get("memorySizeMb").asInt()).isEqualTo(512);
    }
    assertThat(lines).anyMatch(l -> l.get("coldStart").asBoolean());
    assertThat(lines).anyMatch(l -> !l.get("coldStart").asBoolean());
    // at most two instances per function: the rest of the map ran warm on them
    assertThat(azure.stats().coldStarts() - coldBefore).isBetween(1L, 2L);
    JsonNode summary = admin.get("/v1/jobs/" + job + "/summary").json();
    assertThat(summary.get("backend").asString()).isEqualTo("azure-functions");
  }

  @Test
  void aProfileWhoseTimeoutAnHttpTriggerCannotHoldIsRefusedWithTheReason() throws Exception {
    Http.Response r = profile("azure-long", Map.of("timeout", "300"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("230").contains("HTTP trigger");
  }

  @Test
  void aFlexConsumptionProfileRunsAMapAndRefusesAMemoryFlexDoesNotOffer() throws Exception {
    Http.Response refused =
        profile("azure-flex-1024", Map.of("plan", "flex-consumption", "memory", "1024"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body())
        .contains("setting 'memory' (1024 MB) is not an instance size of Flex Consumption")
        .contains("512, 2048 or 4096");

    Http.Response created =
        profile("azure-flex", Map.of("plan", "flex-consumption", "memory", "2048"));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    List<JsonNode> lines = run("azure-flex", 6, 1);

    assertThat(lines).hasSize(6);
    for (JsonNode line : lines) {
      assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      assertThat(line.get("result").asInt()).isEqualTo(line.get("index").asInt());
      assertThat(line.get("memorySizeMb").asInt()).isEqualTo(2048);
    }
  }

  @Test
  void anInvalidResourceGroupIsRefusedAsInvalidWithAzuresRule() throws Exception {
    Http.Response r = profile("azure-bad-group", Map.of("resourceGroup", "my group."));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body())
        .contains("setting 'resourceGroup' is invalid: 'my group.'")
        .contains("1 to 90 letters")
        .doesNotContain("need setting");
  }

  @Test
  void runtimesAreDeployedListedUpdatedAndDeletedOverRestAndGrpc() throws Exception {
    assertThat(profile("azure-rt", Map.of("memory", "1024")).status()).isEqualTo(200);

    Http.Response first = admin.post("/v1/profiles/azure-rt/runtimes", "");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String name = first.json().get("name").asString();
    assertThat(name).matches("quarry-worker-[0-9a-f]{12}-1024-t[0-9a-f]{10}");
    assertThat(first.json().get("change").asString()).isEqualTo("created");
    assertThat(admin.post("/v1/profiles/azure-rt/runtimes", "").json().get("change").asString())
        .isEqualTo("unchanged");
    assertThat(admin.get("/v1/profiles/azure-rt/runtimes").json().get("runtimes").toString())
        .contains(name);
    Http.Response updated = admin.put("/v1/profiles/azure-rt/runtimes/" + name, "");
    assertThat(updated.json().get("change").asString()).as(updated.body()).isEqualTo("updated");
    // the Java client speaks gRPC RuntimeService
    try (var runtimes =
        dev.quarry.client.QuarryRuntimes.connect(
            server.grpcTarget(),
            dev.quarry.client.ClientOptions.builder().apiKey(admin.key()).build())) {
      assertThat(runtimes.list("azure-rt"))
          .anyMatch(r -> r.name().equals(name) && r.memoryMb() == 1024 && r.current());
      assertThat(runtimes.deploy("azure-rt").change()).isEqualTo("unchanged");
      assertThat(runtimes.delete("azure-rt", name).change()).isEqualTo("deleted");
    }
    Http.Response again = admin.delete("/v1/profiles/azure-rt/runtimes/" + name);
    assertThat(again.status()).as(again.body()).isEqualTo(404);
    assertThat(again.body()).contains("RUNTIME_NOT_FOUND");
  }

  @Test
  void aMapCompletesUnderThirtyPercentTransientFailuresWithEveryResultOnce() throws Exception {
    assertThat(
            profile(
                    "azure-faulty",
                    Map.of(
                        "memory", "2048",
                        "slidingWindowSize", "50",
                        "minimumNumberOfCalls", "20",
                        "waitInOpenStateSeconds", "2"))
                .status())
        .isEqualTo(200);
    run("azure-faulty", 1, 3); // deployed and warm
    InvocationStats before = azure.stats();
    azure.faults().throttleRate(0.15).serverErrorRate(0.15).crashRate(0.05);

    // about 33 % of calls fail: with 16 attempts one of 40 tasks failing every one is negligible
    List<JsonNode> lines = run("azure-faulty", 40, 16);
    azure.faults().reset();

    InvocationStats after = azure.stats();
    assertThat(after.throttled() - before.throttled()).isPositive();
    assertThat(after.serverErrors() - before.serverErrors()).isPositive();
    assertThat(lines).hasSize(40);
    Set<Integer> seen = new HashSet<>();
    for (JsonNode line : lines) {
      assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      assertThat(line.get("result").asInt()).isEqualTo(line.get("index").asInt());
      assertThat(seen.add(line.get("index").asInt())).as("duplicate result " + line).isTrue();
    }
  }

  @Test
  void aDeadAppOpensTheProfilesCircuitAndTheJobSaysSo() throws Exception {
    assertThat(
            profile(
                    "azure-dead",
                    Map.of(
                        "memory", "3072",
                        "slidingWindowSize", "4",
                        "minimumNumberOfCalls", "4",
                        "waitInOpenStateSeconds", "60"))
                .status())
        .isEqualTo(200);
    run("azure-dead", 1, 3);
    azure.faults().unavailable(true);
    String job =
        admin
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"profile\":\"azure-dead\",\"inputs\":["
                    + String.join(",", IntStream.range(0, 20).mapToObj(Integer::toString).toList())
                    + "]}")
            .json()
            .get("id")
            .asString();

    String message = JobFixtures.awaitMessage(admin, job, "circuit", Duration.ofSeconds(30));

    assertThat(message).startsWith("waiting:").contains("circuit", "azure-dead", "open until");
    assertThat(admin.post("/v1/jobs/" + job + "/cancel", "").json().get("state").asString())
        .isEqualTo("CANCELLED");
  }

  @Test
  void aMissingStorageAccountFailsTheTasksAtOnceWithAzuresMessage() throws Exception {
    assertThat(
            profile("azure-noaccount", Map.of("memory", "3584", "storageAccount", "nosuchaccount"))
                .status())
        .isEqualTo(200);

    List<JsonNode> lines = run("azure-noaccount", 3, 5);

    assertThat(lines)
        .hasSize(3)
        .allSatisfy(
            l -> {
              assertThat(l.get("state").asString()).isEqualTo("FAILED");
              assertThat(l.get("attempts").asInt()).isEqualTo(1);
              assertThat(l.get("error").toString()).contains("ResourceNotFound", "nosuchaccount");
            });
  }

  /** One app (memory 1536) for the fault tests below, deployed and warm; its circuit stays shut. */
  static void edgeProfile() throws Exception {
    Http.Response created =
        profile(
            "azure-edge",
            Map.of(
                "memory", "1536",
                "slidingWindowSize", "100",
                "minimumNumberOfCalls", "100"));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(run("azure-edge", 1, 3).getFirst().get("state").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aWrongFunctionKeyFailsTheTaskAtOnceWithAzuresAnswerAndTheNextJobReadsTheNewKey()
      throws Exception {
    edgeProfile();
    String app = admin.post("/v1/profiles/azure-edge/runtimes", "").json().get("name").asString();
    // the key the server holds is no longer the app's: Azure answers 401
    assertThat(azure.renewFunctionKey("quarry-rg", app, "quarry-worker")).isTrue();

    List<JsonNode> refused = run("azure-edge", 1, 5);

    assertThat(refused).hasSize(1);
    JsonNode line = refused.getFirst();
    assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("FAILED");
    assertThat(line.get("attempts").asInt()).as("a refused key is not retried").isEqualTo(1);
    assertThat(line.get("error").get("message").asString())
        .contains("refused the function key", "HTTP 401", app);
    // the refusal made the backend forget the key: the next job lists the keys again
    List<JsonNode> after = run("azure-edge", 2, 5);
    assertThat(after)
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.get("state").asString()).isEqualTo("SUCCEEDED"));
  }

  @Test
  void slowResponsesAreWaitedForNotRetried() throws Exception {
    edgeProfile();
    InvocationStats before = azure.stats();
    azure.faults().slowResponses(1.0, Duration.ofMillis(400));

    List<JsonNode> lines = run("azure-edge", 4, 3);

    assertThat(azure.stats().slowResponses() - before.slowResponses()).isGreaterThanOrEqualTo(4);
    assertThat(lines).hasSize(4);
    for (JsonNode l : lines) {
      assertThat(l.get("state").asString()).as(l.toString()).isEqualTo("SUCCEEDED");
      assertThat(l.get("result").asInt()).isEqualTo(l.get("index").asInt());
      assertThat(l.get("attempts").asInt()).isEqualTo(1);
      // the call's duration as the server measured it includes the host's delay
      assertThat(l.get("billedMs").asLong()).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void aBurstOf503ThenOf429IsRetriedAndEveryResultArrivesOnce() throws Exception {
    edgeProfile();
    InvocationStats before = azure.stats();
    // the host is down (503) until six calls were refused, then throttles (429) the next five
    azure.faults().unavailable(true).throttleBurst(5);
    String job =
        admin
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"profile\":\"azure-edge\",\"maxAttempts\":16,"
                    + "\"inputs\":[0,1,2,3,4,5]}")
            .json()
            .get("id")
            .asString();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> azure.stats().serverErrors() - before.serverErrors() >= 6);
    azure.faults().unavailable(false);

    List<JsonNode> lines = RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"));

    InvocationStats after = azure.stats();
    assertThat(after.throttled() - before.throttled()).isEqualTo(5);
    assertThat(after.serverErrors() - before.serverErrors()).isGreaterThanOrEqualTo(6);
    assertThat(lines).hasSize(6);
    Set<Integer> seen = new HashSet<>();
    for (JsonNode l : lines) {
      assertThat(l.get("state").asString()).as(l.toString()).isEqualTo("SUCCEEDED");
      assertThat(l.get("result").asInt()).isEqualTo(l.get("index").asInt());
      assertThat(seen.add(l.get("index").asInt())).as("duplicate result " + l).isTrue();
    }
    assertThat(lines).anyMatch(l -> l.get("attempts").asInt() > 1);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES) // the program's getResult waits without a bound
  void theReadmesThreeCloudProgramRunsOnLocalLambdaAndAzureFunctions() throws Exception {
    edgeProfile();
    // the README's Azure profile, on the same app as azure-edge (same build, memory and tenant)
    Http.Response azureProfile =
        profile(
            "azure-prod",
            Map.of("memory", "1536", "slidingWindowSize", "100", "minimumNumberOfCalls", "100"));
    assertThat(azureProfile.status()).as(azureProfile.body()).isEqualTo(200);
    assertThat(
            admin
                .put(
                    "/v1/credentials/team-aws",
                    "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\""
                        + AWS_KEY_ID
                        + "\",\"secretAccessKey\":\""
                        + AWS_SECRET
                        + "\"}}")
                .status())
        .isEqualTo(200);
    Http.Response lambdaProfile =
        admin.put(
            "/v1/profiles/aws-own-bucket",
            Http.JSON.writeValueAsString(
                Map.of(
                    "backend",
                    "lambda",
                    "credential",
                    "team-aws",
                    "settings",
                    Map.of(
                        "region", "us-east-1",
                        "endpoint", lambda.endpoint().toString(),
                        "role", "arn:aws:iam::000000000000:role/quarry-worker",
                        "memory", "512",
                        "timeout", "30",
                        "concurrency", "2",
                        // Lambda runs beside a server on Azure Blob when its profile has a bucket
                        "bucket", TEAM_BUCKET))));
    assertThat(lambdaProfile.status()).as(lambdaProfile.body()).isEqualTo(200);
    Http.Response localProfile =
        admin.put("/v1/profiles/team-local", "{\"backend\":\"local\",\"settings\":{}}");
    assertThat(localProfile.status()).as(localProfile.body()).isEqualTo(200);
    long lambdaBefore = lambda.stats().invocations();
    long azureBefore = azure.stats().invocations();

    List<Integer> all = ThreeClouds.run(server.grpcTarget(), admin.key());

    assertThat(all).containsExactly(2, 4, 6, 3, 6, 9, 5, 10, 15);
    assertThat(lambda.stats().invocations() - lambdaBefore).isGreaterThanOrEqualTo(1);
    assertThat(azure.stats().invocations() - azureBefore).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aContextFunctionOnAzureReadsAndWritesItsTeamsObjectsWithATokenRevokedAfterwards()
      throws Exception {
    edgeProfile();
    try (var exec =
            FunctionExecutor.connect(
                server.grpcTarget(),
                ClientOptions.builder().apiKey(admin.key()).profile("azure-edge").build());
        var storage = exec.storage()) {
      storage.putObject("docs", "in/azure.txt", "hello azure");

      var futures =
          exec.map(
              (String key, FunctionContext ctx) -> {
                String text = ctx.storage().getObjectAsString("docs", key);
                ctx.storage().putObject("docs", "out/" + key, text.toUpperCase());
                return text.length() + " " + ctx.storage().listKeys("docs", "in/");
              },
              List.of("in/azure.txt"));

      assertThat(exec.getResult(futures, Duration.ofMinutes(2)))
          .containsExactly("11 [in/azure.txt]");
      assertThat(storage.getObjectAsString("docs", "out/in/azure.txt")).isEqualTo("HELLO AZURE");
    }
    // the invocation's token is revoked when it ends (others of this class's jobs may still be
    // running: wait for a moment without any, which never comes if tokens outlive invocations)
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from function_storage_tokens") == 0);
  }

  private static long count(String sql) throws Exception {
    try (var c = server.database().connect();
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
