package dev.quarry.backend.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.BackendException;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.ObjectGrant;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.S3Fixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pre-signed URLs of a Lambda envelope, against s3proxy: whatever the envelope or the manifest
 * it points to names, no URL is ever signed for a key outside the invocation's tenant prefix.
 */
class PresignedGrantsTest {
  private static final String BUCKET = "grants";
  private static final String MANIFEST = "tenants/b/functions/f1";
  private static final String JAR_OF_A = "tenants/a/blobs/" + "a".repeat(64);
  private static final String JAR_OF_B = "tenants/b/blobs/" + "b".repeat(64);
  private static final String INPUT_OF_A = "tenants/a/jobs/j1/inputs/0";

  static S3Fixture s3;
  static ObjectStore store;
  static PresignedGrants grants;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Fixture.start();
    Map<String, String> settings = s3.storeSettings(BUCKET);
    settings.put("createBucket", "true");
    store = ObjectStores.open("s3", settings);
    grants = new PresignedGrants(store, Clock.systemUTC(), Duration.ofSeconds(5));
    store.put(JAR_OF_A, bytes("jar of a"));
    store.put(JAR_OF_B, bytes("jar of b"));
    store.put(INPUT_OF_A, bytes("tenant a's input"));
    store.put("tenants/b/jobs/j2/inputs/0", bytes("input of b"));
    store.put(MANIFEST, manifest(JAR_OF_B).toByteArray());
    store.put("tenants/b/functions/evil", manifest(JAR_OF_A).toByteArray());
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    s3.close();
  }

  @Test
  void signsEveryObjectOfTheInvocationUnderItsTenantPrefixOnly() throws Exception {
    TaskEnvelope withLog =
        envelope("b", MANIFEST, "tenants/b/jobs/j2/inputs/0", "tenants/b/jobs/j2/r");
    withLog =
        withLog.toBuilder()
            .setTasks(0, withLog.getTasks(0).toBuilder().setLogKey("tenants/b/jobs/j2/logs/0.1"))
            .build();
    TaskEnvelope granted = grants.grant(withLog);

    assertThat(granted.getGrantsList())
        .extracting(ObjectGrant::getKey)
        .containsExactlyInAnyOrder(
            MANIFEST,
            JAR_OF_B,
            "tenants/b/jobs/j2/inputs/0",
            "tenants/b/jobs/j2/r",
            "tenants/b/jobs/j2/logs/0.1");
    for (ObjectGrant g : granted.getGrantsList()) {
      assertThat(URI.create(g.getUrl()).getPath()).startsWith("/" + BUCKET + "/tenants/b/");
    }
    ObjectGrant input =
        granted.getGrantsList().stream()
            .filter(g -> g.getKey().contains("inputs"))
            .findFirst()
            .get();
    HttpResponse<String> got =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(input.getUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(got.body()).isEqualTo("input of b");
  }

  @Test
  void refusesToSignAnotherTenantsKeysWhereverTheEnvelopeNamesThem() {
    assertRefused(envelope("b", MANIFEST, INPUT_OF_A, "tenants/b/jobs/j2/r"));
    assertRefused(envelope("b", MANIFEST, "tenants/b/jobs/j2/inputs/0", INPUT_OF_A));
    assertRefused(envelope("b", "tenants/a/functions/f1", null, "tenants/b/jobs/j2/r"));
    assertRefused(
        envelope("b", MANIFEST, "tenants/b/../a/jobs/j1/inputs/0", "tenants/b/jobs/j2/r"));
    assertRefused(envelope("b", MANIFEST, "tenants/b//x", "tenants/b/jobs/j2/r"));
    TaskEnvelope foreignLog = envelope("b", MANIFEST, null, "tenants/b/jobs/j2/r");
    assertRefused(
        foreignLog.toBuilder()
            .setTasks(0, foreignLog.getTasks(0).toBuilder().setLogKey(INPUT_OF_A))
            .build());
    assertRefused(envelope("", MANIFEST, null, "tenants/b/jobs/j2/r"));
    assertRefused(envelope("../a", MANIFEST, null, "tenants/b/jobs/j2/r"));
  }

  @Test
  void refusesAManifestThatNamesAnotherTenantsJar() {
    assertRefused(envelope("b", "tenants/b/functions/evil", null, "tenants/b/jobs/j2/r"));
    TaskEnvelope inline =
        envelope("b", MANIFEST, null, "tenants/b/jobs/j2/r").toBuilder()
            .setFunction(manifest(JAR_OF_A).toBuilder().clearManifestKey())
            .build();
    assertRefused(inline);
  }

  private static void assertRefused(TaskEnvelope envelope) {
    assertThatThrownBy(() -> grants.grant(envelope))
        .as(envelope.toString())
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
        .hasMessageContaining("refusing to pre-sign");
  }

  private static TaskEnvelope envelope(
      String tenant, String manifestKey, String inputKey, String resultKey) {
    TaskInput.Builder task = TaskInput.newBuilder().setTaskId("t").setResultKey(resultKey);
    if (inputKey != null) {
      task.setKey(inputKey);
    }
    return TaskEnvelope.newBuilder()
        .setInvocationId("inv")
        .setTenantId(tenant)
        .setDeadlineMs(System.currentTimeMillis() + 10_000)
        .setFunction(
            FunctionSpec.newBuilder()
                .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                .setManifestKey(manifestKey))
        .addTasks(task)
        .build();
  }

  private static FunctionSpec manifest(String jarKey) {
    return FunctionSpec.newBuilder()
        .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
        .setEntryClass("x.Y")
        .addJarKeys(jarKey)
        .build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
