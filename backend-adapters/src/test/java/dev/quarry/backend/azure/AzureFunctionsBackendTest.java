package dev.quarry.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.quarry.azure.emulator.AzureEmulatorOptions;
import dev.quarry.azure.emulator.AzureFunctionsEmulator;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.lambda.WorkerPackage;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.AzuriteFixture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backend against the Azure Functions emulator (real App Service SDK, real worker package in
 * child JVMs) with its data and package in Azurite.
 */
class AzureFunctionsBackendTest {

  static AzuriteFixture azurite;
  static AzureFunctionsEmulator azure;
  static ObjectStore data;
  static WorkerPackage worker;

  @BeforeAll
  static void start() throws Exception {
    azurite = AzuriteFixture.start();
    azure =
        AzureFunctionsEmulator.start(
            AzureEmulatorOptions.builder()
                .maxInstancesPerFunction(2)
                .instanceMemoryMb(512)
                .storageAccount(
                    AzuriteFixture.ACCOUNT, AzuriteFixture.ACCOUNT_KEY, azurite.endpoint())
                .build());
    data = ObjectStores.open("azure-blob", azurite.storeSettings("data"));
    try (var in =
        AzureFunctionsBackendTest.class
            .getClassLoader()
            .getResourceAsStream("quarry/worker-azure.zip")) {
      worker = WorkerPackage.of(in.readAllBytes());
    }
  }

  @AfterAll
  static void stop() {
    if (data != null) {
      data.close();
    }
    if (azure != null) {
      azure.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  static AzureFunctionsOptions.Builder options() {
    AzureEmulatorOptions e = azure.options();
    return AzureFunctionsOptions.builder()
        .servicePrincipal(e.tenantId(), e.clientId(), e.clientSecret(), e.subscriptionId())
        .resourceGroup("quarry-rg")
        .region("westeurope")
        .plan("consumption")
        .storageAccount(AzuriteFixture.ACCOUNT)
        .memoryMb(512)
        .timeoutSeconds(120)
        .concurrency(4)
        .workerPackage(worker)
        .authorityHost(azure.endpoint())
        .resourceManagerEndpoint(azure.endpoint())
        .sslContext(azure.sslContext());
  }

  static TaskEnvelope envelope(String invocation, String... values) {
    Map<String, String> store = azurite.storeSettings("data");
    store.remove("createContainer");
    TaskEnvelope.Builder b =
        TaskEnvelope.newBuilder()
            .setInvocationId(invocation)
            .setTenantId("t1")
            .setJobId("j1")
            .setCodec(Codec.CODEC_JSON)
            .setFunction(
                FunctionSpec.newBuilder()
                    .setDigest("builtin:echo")
                    .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
                    .setName("echo"))
            .setStorage(StorageSettings.newBuilder().setType("azure-blob").putAllSettings(store));
    for (int i = 0; i < values.length; i++) {
      String id = invocation + "-" + i;
      b.addTasks(
          TaskInput.newBuilder()
              .setTaskId(id)
              .setAttempt(1)
              .setInline(ByteString.copyFromUtf8(values[i]))
              .setResultKey("results/" + id));
    }
    return b.build();
  }

  @Test
  void deploysOnceAndRunsAMapColdThenWarmWithResultsInBlobStorage() throws Exception {
    mapColdThenWarm(options().build(), "inv");
  }

  /**
   * On a backend of {@code o}: a two-input invocation cold, then a one-input one warm, their
   * results in Blob storage, the memory reported; a second deploy of the same build is unchanged.
   */
  static void mapColdThenWarm(AzureFunctionsOptions o, String prefix) throws Exception {
    try (AzureFunctionsBackend backend = AzureFunctionsBackend.create(o)) {
      InvocationSummary cold =
          backend.invoke(envelope(prefix + "-a", "1", "\"two\"")).get(3, TimeUnit.MINUTES);
      InvocationSummary warm =
          backend.invoke(envelope(prefix + "-b", "[3]")).get(1, TimeUnit.MINUTES);

      assertThat(cold.hasInvocationError()).as("%s", cold).isFalse();
      assertThat(cold.getOutcomesList()).extracting(TaskOutcome::getOk).containsExactly(true, true);
      assertThat(cold.getPlatform().getColdStart()).isTrue();
      assertThat(warm.getPlatform().getColdStart()).isFalse();
      assertThat(warm.getPlatform().getMemorySizeMb()).isEqualTo(o.memoryMb());
      assertThat(text("results/" + prefix + "-a-0")).isEqualTo("1");
      assertThat(text("results/" + prefix + "-a-1")).isEqualTo("\"two\"");
      assertThat(text("results/" + prefix + "-b-0")).isEqualTo("[3]");

      WorkerRuntime again = backend.runtimes().deploy();
      assertThat(again.change()).isEqualTo("unchanged");
      assertThat(again.workerVersion()).isEqualTo(worker.version());
      assertThat(again.memoryMb()).isEqualTo(o.memoryMb());
      assertThat(backend.runtimes().list()).extracting(WorkerRuntime::name).contains(o.appName());
    }
  }

  @Test
  void deployUpdateDeleteRoundTrip() {
    try (AzureFunctionsBackend backend =
        AzureFunctionsBackend.create(options().memoryMb(1024).build())) {
      String name = options().memoryMb(1024).build().appName();

      assertThat(backend.runtimes().deploy().change()).isEqualTo("created");
      assertThat(backend.runtimes().update(name).change()).isEqualTo("updated");
      assertThat(backend.runtimes().delete(name).change()).isEqualTo("deleted");
      assertThat(backend.runtimes().list()).extracting(WorkerRuntime::name).doesNotContain(name);
      assertThatThrownBy(() -> backend.runtimes().delete(name))
          .isInstanceOf(RuntimeNotFoundException.class)
          .hasMessageContaining(name);
    }
  }

  @Test
  void aWrongSecretFailsFastAsPermanentWithEntrasMessage() {
    AzureEmulatorOptions e = azure.options();
    try (AzureFunctionsBackend backend =
        AzureFunctionsBackend.create(
            options()
                .servicePrincipal(e.tenantId(), e.clientId(), "wrong-secret", e.subscriptionId())
                .build())) {
      assertThatThrownBy(() -> backend.invoke(envelope("inv-x", "1")).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              BackendException.class,
              b -> {
                assertThat(b.kind()).as("%s", chain(b)).isEqualTo(BackendException.Kind.PERMANENT);
                assertThat(b.getMessage()).contains("AADSTS7000215");
              });
    }
  }

  @Test
  void aMissingStorageAccountFailsAsPermanentWithArmsMessage() {
    try (AzureFunctionsBackend backend =
        AzureFunctionsBackend.create(
            options().memoryMb(2048).storageAccount("nosuchaccount").build())) {
      assertThatThrownBy(() -> backend.runtimes().deploy())
          .isInstanceOfSatisfying(
              BackendException.class,
              b -> {
                assertThat(b.kind()).isEqualTo(BackendException.Kind.PERMANENT);
                assertThat(b.getMessage()).contains("ResourceNotFound").contains("nosuchaccount");
              });
    }
  }

  @Test
  void throttlingAndOutagesAreTransient() throws Exception {
    AzureFunctionsOptions o = options().memoryMb(4096).build();
    try (AzureFunctionsBackend backend = AzureFunctionsBackend.create(o)) {
      backend.invoke(envelope("inv-w", "0")).get(3, TimeUnit.MINUTES);
      try {
        azure.faults().throttleBurst(1);
        assertThatThrownBy(() -> backend.invoke(envelope("inv-t", "1")).join())
            .cause()
            .isInstanceOfSatisfying(
                BackendException.class,
                b -> assertThat(b.kind()).isEqualTo(BackendException.Kind.TRANSIENT));
        azure.faults().reset().unavailable(true);
        assertThatThrownBy(() -> backend.invoke(envelope("inv-u", "1")).join())
            .cause()
            .isInstanceOfSatisfying(
                BackendException.class,
                b -> assertThat(b.kind()).isEqualTo(BackendException.Kind.TRANSIENT));
      } finally {
        azure.faults().reset();
      }
    }
  }

  @Test
  void refusesAnUnknownPlan() {
    assertThatThrownBy(() -> options().plan("premium").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plan must be consumption or flex-consumption, got 'premium'");
  }

  @Test
  void refusesATimeoutAboveWhatAnHttpTriggerCanHold() {
    assertThatThrownBy(() -> options().timeoutSeconds(300).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout 300 s is longer than an Azure Functions HTTP trigger")
        .hasMessageContaining("230");
  }

  static String chain(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" <- ");
    }
    return s.toString();
  }

  static String text(String key) {
    return new String(data.read(key).orElseThrow(), StandardCharsets.UTF_8);
  }
}
