package dev.quarry.backend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs one real worker JVM behind the decorator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalPassThroughTest {
  @TempDir Path temp;

  @Test
  void passesRealSummariesThroughTheLocalBackend() throws Exception {
    List<String> jvmArgs = new ArrayList<>(LocalBackendOptions.defaultJvmArgs());
    jvmArgs.add("-XX:TieredStopAtLevel=1");
    jvmArgs.add("-Dquarry.worker.cacheDir=" + temp.resolve("jars"));
    LocalBackendOptions local =
        LocalBackendOptions.builder()
            .poolSize(1)
            .jvmArgs(jvmArgs)
            .store(ObjectStores.open("fs", Map.of("root", temp.resolve("store").toString())))
            .build();
    SimpleMeterRegistryHolder holder = new SimpleMeterRegistryHolder();

    try (ResilientBackend backend =
        ResilientBackends.decorate(
            LocalBackends.create(local), ResilienceOptions.DEFAULT, "local", holder.metrics)) {
      InvocationSummary summary =
          backend.invoke(echoEnvelope("1", "{\"a\":2}")).get(30, TimeUnit.SECONDS);

      assertThat(backend.type()).isEqualTo("local");
      assertThat(summary.getInvocationId()).isEqualTo("resilient-echo");
      assertThat(summary.getWorkerId()).startsWith("local-");
      assertThat(summary.getOutcomesList()).hasSize(2).allMatch(TaskOutcome::getOk);
      assertThat(read(summary.getOutcomes(1).getResultKey())).isEqualTo("{\"a\":2}");
      assertThat(backend.circuitState("tenant-a"))
          .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
      assertThat(
              holder
                  .registry
                  .get("resilience4j.circuitbreaker.calls")
                  .tag("name", "local/tenant-a")
                  .tag("kind", "successful")
                  .timer()
                  .count())
          .isEqualTo(1);
    }
  }

  private static final class SimpleMeterRegistryHolder {
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    final ResilienceMetrics metrics = ResilienceMetrics.create();

    SimpleMeterRegistryHolder() {
      metrics.bindTo(registry);
    }
  }

  private TaskEnvelope echoEnvelope(String... jsonInputs) {
    String id = "resilient-echo";
    TaskEnvelope.Builder envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId(id)
            .setTenantId("tenant-a")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setDigest("builtin:echo")
                    .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
                    .setName("echo"))
            .setCodec(Codec.CODEC_JSON)
            .setStorage(
                StorageSettings.newBuilder()
                    .setType("fs")
                    .putSettings("root", temp.resolve("store").toString()));
    for (int i = 0; i < jsonInputs.length; i++) {
      envelope.addTasks(
          TaskInput.newBuilder()
              .setTaskId(id + "-" + i)
              .setIndex(i)
              .setInline(ByteString.copyFromUtf8(jsonInputs[i]))
              .setResultKey("tenants/tenant-a/results/" + id + "/" + i));
    }
    return envelope.build();
  }

  private String read(String key) {
    try (ObjectStore store =
        ObjectStores.open("fs", Map.of("root", temp.resolve("store").toString()))) {
      return new String(store.read(key).orElseThrow(), StandardCharsets.UTF_8);
    }
  }
}
