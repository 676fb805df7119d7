package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.azure.emulator.AzureEmulatorOptions;
import dev.quarry.azure.emulator.AzureFunctionsEmulator;
import dev.quarry.emulator.stats.InvocationStats;
import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.AzuriteFixture;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import dev.quarry.testkit.ServerFixture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Maps on Azure Functions, end to end against the Azure Functions emulator: the server deploys the
 * worker app through the App Service SDK with the profile's service principal (run from a package
 * it uploads to the storage account), invokes the HTTP trigger with the function key, and the real
 * handler in child JVMs reads and writes Azure Blob storage (Azurite) through SAS URLs.
 */
class AzureFunctionsBackendTest {
  static AzuriteFixture azurite;
  static AzureFunctionsEmulator azure;
  static ServerFixture server;
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
    server =
        ServerFixture.builder(QuarryServer.class)
            .arg("--quarry.backend.pool-size=1")
            .args(azurite.serverArgs("quarry-azure"))
            .arg(
                "--quarry.azure.allow-endpoint-override=true",
                "--quarry.azure.trust-store=" + azure.trustStore(),
                "--quarry.azure.trust-store-password=emulator",
                "--quarry.dispatch.retry-initial-backoff=50ms")
            .start();
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
}
