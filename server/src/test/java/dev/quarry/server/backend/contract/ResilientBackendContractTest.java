package dev.quarry.server.backend.contract;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.backend.resilience.ResilientBackends;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The contract on the resilience decorator around the local backend: decorating must keep every
 * promise of the backend it wraps. Its own deadline (a short grace) is what abandons the stuck
 * invocation here, before the local backend's watchdog would.
 */
class ResilientBackendContractTest extends ComputeBackendContract {
  private final Path root;
  private final ObjectStore store;

  ResilientBackendContractTest() throws Exception {
    root = Files.createTempDirectory("quarry-contract-resilient");
    store = ObjectStores.open("fs", Map.of("root", root.resolve("store").toString()));
  }

  @Override
  ComputeBackend open() {
    ComputeBackend local =
        LocalBackends.create(
            LocalBackendContractTest.options(root, store)
                .deadlineGrace(Duration.ofSeconds(20))
                .build());
    return ResilientBackends.decorate(
        local,
        ResilienceOptions.DEFAULT.toBuilder()
            .deadlineGrace(Duration.ofMillis(500))
            .maxConcurrentInvocations(64)
            .build(),
        "contract");
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
