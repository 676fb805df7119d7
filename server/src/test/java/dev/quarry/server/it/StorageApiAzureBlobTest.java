package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.QuarryServer;
import dev.quarry.server.storage.WorkerStorage;
import dev.quarry.storage.ObjectStore;
import dev.quarry.testkit.AzuriteFixture;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import dev.quarry.testkit.ServerFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A server on {@code quarry.storage.type=azure-blob} against Azurite (one for the class): the
 * Storage API contract, and a map on local workers whose large inputs and results live as blobs.
 */
class StorageApiAzureBlobTest extends StorageApiContract {
  private static AzuriteFixture azurite;
  private static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    azurite = AzuriteFixture.start();
    server =
        ServerFixture.builder(QuarryServer.class)
            .arg("--quarry.backend.pool-size=1")
            .args(asFromEnvironment(azurite.serverArgs("quarry-server")))
            .arg(
                "--quarry.storage.settings.maxSingleUpload=128KB",
                "--quarry.storage.settings.blockSize=256KB",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.operator-key=" + TestServer.OPERATOR_KEY)
            .start();
  }

  /**
   * Setting names lower-cased, as environment variables ({@code QUARRY_STORAGE_SETTINGS_…}) give
   * them.
   */
  private static List<String> asFromEnvironment(List<String> args) {
    return args.stream()
        .map(
            a -> {
              int eq = a.indexOf('=');
              return a.substring(0, eq).toLowerCase(java.util.Locale.ROOT) + a.substring(eq);
            })
        .toList();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  String restUrl() {
    return server.restUrl();
  }

  @Override
  String operatorKey() {
    return TestServer.OPERATOR_KEY;
  }

  @Override
  ObjectStore store() {
    return server.context().getBean(ObjectStore.class);
  }

  @Test
  void aMapOnLocalWorkersKeepsItsLargeInputsAndResultsInBlobStorage() throws Exception {
    Http http = new Http(server.restUrl(), newTenant());
    String big = "x".repeat(200_000); // stored, not inline; staged in blocks
    String id =
        JobFixtures.submit(
            http, "{\"function\":\"echo\",\"inputs\":[1,\"two\",\"" + big + "\",[4]]}");

    JsonNode job = JobFixtures.awaitTerminal(http, id, Duration.ofSeconds(60));
    assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    List<JsonNode> lines = JobFixtures.ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
    assertThat(lines).extracting(l -> l.get("index").asInt()).containsExactly(0, 1, 2, 3);
    assertThat(lines.get(1).get("result").asString()).isEqualTo("two");
    assertThat(lines.get(2).get("result").asString()).isEqualTo(big);
    assertThat(lines.get(3).get("result").get(0).asInt()).isEqualTo(4);

    List<String> blobs = store().list("tenants/");
    assertThat(blobs).anyMatch(k -> k.contains("/jobs/" + id + "/results/"));
    assertThat(blobs).anyMatch(k -> k.contains("/jobs/" + id + "/inputs/"));
    assertThat(store().toString()).doesNotContain(AzuriteFixture.ACCOUNT_KEY);
    // workers' envelopes never carry the account key
    assertThat(server.context().getBean(WorkerStorage.class).settings().getSettingsMap())
        .doesNotContainKeys("accountkey", "createcontainer")
        .doesNotContainValue(AzuriteFixture.ACCOUNT_KEY)
        .containsEntry("container", "quarry-server");
  }
}
