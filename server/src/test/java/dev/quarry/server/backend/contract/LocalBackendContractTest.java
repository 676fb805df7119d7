package dev.quarry.server.backend.contract;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.backend.local.WorkerSandbox;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.worker.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The contract on the local backend: a pool of worker JVMs over this test's class path. */
class LocalBackendContractTest extends ComputeBackendContract {
  private final Path root;
  private final ObjectStore store;

  LocalBackendContractTest() throws Exception {
    root = Files.createTempDirectory("quarry-contract-local");
    store = ObjectStores.open("fs", Map.of("root", root.resolve("store").toString()));
  }

  @Override
  ComputeBackend open() {
    return LocalBackends.create(options(root, store).build());
  }

  /** Two unsandboxed workers (the test machine may have no bubblewrap) with a fast-starting JIT. */
  static LocalBackendOptions.Builder options(Path root, ObjectStore store) {
    List<String> jvmArgs = new ArrayList<>(LocalBackendOptions.defaultJvmArgs());
    jvmArgs.add("-XX:TieredStopAtLevel=1");
    jvmArgs.add("-D" + TaskRunner.CACHE_DIR_PROPERTY + "=" + root.resolve("jars"));
    return LocalBackendOptions.builder()
        .poolSize(2)
        .sandbox(WorkerSandbox.NONE)
        .store(store)
        .jvmArgs(jvmArgs);
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  StorageSettings storage() {
    return StorageSettings.newBuilder()
        .setType("fs")
        .putSettings("root", root.resolve("store").toString())
        .build();
  }

  @Override
  void stop() {
    store.close();
  }
}
