package dev.quarry.worker;

import static dev.quarry.worker.FunctionFixtures.envelope;
import static dev.quarry.worker.FunctionFixtures.fromJavaBytes;
import static dev.quarry.worker.FunctionFixtures.javaBytes;
import static dev.quarry.worker.FunctionFixtures.javaInput;
import static dev.quarry.worker.FunctionFixtures.storeSamplesJar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.worker.samples.SampleFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serialized BiFunction is a context function: it gets the bridge to the tenant's objects. */
class ContextFunctionRunTest {
  @TempDir Path temp;
  ObjectStore store;
  TaskRunner runner;
  final List<String> boundTo = new ArrayList<>();

  @BeforeEach
  void setUp() {
    store = ObjectStores.open("fs", Map.of("root", temp.resolve("store").toString()));
    WorkerObjects objects =
        new WorkerObjects() {
          @Override
          public WorkerObjects forInvocation(String invocationId) {
            boundTo.add(invocationId);
            return this;
          }

          @Override
          public Optional<Part> read(String bucket, String key, long offset, int length) {
            return key.equals("hello.txt")
                ? Optional.of(new Part(5, "\"e\"", "hello".getBytes(StandardCharsets.UTF_8)))
                : Optional.empty();
          }

          @Override
          public void write(String bucket, String key, byte[] data) {}

          @Override
          public Page list(String bucket, String prefix, String pageToken) {
            return new Page(List.of(), "");
          }

          @Override
          public boolean delete(String bucket, String key) {
            return false;
          }
        };
    runner = new TaskRunner("w", temp.resolve("jars"), Clock.systemUTC(), store, objects);
  }

  @AfterEach
  void tearDown() {
    runner.close();
    store.close();
  }

  @Test
  void aContextFunctionReadsThroughTheBridgeBoundToItsInvocation() throws Exception {
    InvocationSummary s =
        runner.run(
            envelope(temp, contextFunction(), Codec.CODEC_JAVA, javaInput("a", "hello.txt"))
                .setStorage(StorageSettings.newBuilder().setType(TaskRunner.CHANNEL_STORAGE))
                .build());

    assertThat(s.getOutcomes(0).getOk()).as("%s", s).isTrue();
    assertThat(fromJavaBytes(store.read("results/a").orElseThrow())).isEqualTo("hello");
    assertThat(boundTo).containsExactly("inv-1");
  }

  @Test
  void onABackendWithoutTenantObjectsTheCallFailsTheFuture() throws Exception {
    InvocationSummary s =
        runner.run(
            envelope(
                    temp.resolve("store"), contextFunction(), Codec.CODEC_JAVA, javaInput("a", "x"))
                .build());

    assertThat(s.getOutcomes(0).getOk()).isFalse();
    assertThat(s.getOutcomes(0).getError().getType())
        .isEqualTo(UnsupportedOperationException.class.getName());
    assertThat(boundTo).isEmpty();
  }

  private FunctionSpec contextFunction() throws Exception {
    String jar = storeSamplesJar(store, temp);
    byte[] payload = javaBytes(SampleFunctions.readsObject());
    String payloadKey = "blobs/" + FunctionFixtures.sha256(payload);
    store.put(payloadKey, payload);
    return FunctionSpec.newBuilder()
        .setDigest("ctx-" + FunctionFixtures.sha256(payload))
        .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
        .setPayloadKey(payloadKey)
        .addJarKeys(jar)
        .build();
  }
}
