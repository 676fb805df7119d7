package dev.quarry.server.backend.contract;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.lambda.LambdaBackendOptions;
import dev.quarry.backend.lambda.LambdaBackends;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.lambda.WorkerPackage;
import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.S3Fixture;
import java.time.Duration;
import java.util.Map;

/**
 * The contract on the Lambda backend, through the Lambda emulator (child JVMs running the real
 * worker handler) with results in s3proxy. The function's timeout (20 s: a cold worker JVM on a
 * busy machine takes seconds) is the platform limit that abandons the stuck invocation.
 */
class LambdaBackendContractTest extends ComputeBackendContract {
  private static final String AWS_KEY_ID = "contract-access-key-id";
  private static final String AWS_SECRET = "contract-emulator-secret-not-real";

  private final S3Fixture s3;
  private final LambdaEmulator emulator;
  private final ObjectStore store;
  private final WorkerPackage workerPackage;

  LambdaBackendContractTest() throws Exception {
    s3 = S3Fixture.start();
    Map<String, String> settings = s3.storeSettings("quarry-contract");
    settings.put("createBucket", "true");
    store = ObjectStores.open("s3", settings);
    emulator =
        LambdaEmulator.start(
            EmulatorOptions.builder()
                .credentials(AWS_KEY_ID, AWS_SECRET)
                .region("us-east-1")
                .maxInstancesPerFunction(4)
                .stateTransitionDelay(Duration.ofMillis(100))
                .build());
    workerPackage = WorkerPackage.fromClasspath(LambdaBackendContractTest.class.getClassLoader());
  }

  @Override
  ComputeBackend open() {
    return LambdaBackends.create(
        LambdaBackendOptions.builder()
            .region("us-east-1")
            .endpoint(emulator.endpoint())
            .credentials(AWS_KEY_ID, AWS_SECRET, null)
            .concurrency(4)
            .runtime(
                new RuntimeSpec(
                    512,
                    20,
                    RuntimeSpec.DEFAULT_ARCHITECTURE,
                    "arn:aws:iam::000000000000:role/quarry-worker",
                    Map.of()))
            .workerPackage(workerPackage)
            .store(store)
            .build());
  }

  @Override
  TaskEnvelope pastItsTimeLimit(long millis) {
    return envelope("sleep", Long.toString(millis));
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  StorageSettings storage() {
    return StorageSettings.newBuilder().setType("s3").build();
  }

  @Override
  void stop() throws Exception {
    try {
      emulator.close();
      store.close();
    } finally {
      s3.close();
    }
  }
}
