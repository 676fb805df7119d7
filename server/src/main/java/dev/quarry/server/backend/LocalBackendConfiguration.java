package dev.quarry.server.backend;

import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.server.QuarryProperties;
import dev.quarry.backend.local.WorkerSandbox;
import dev.quarry.storage.ObjectStore;
import dev.quarry.worker.TaskRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The default backend: a pool of warm worker JVMs on this machine. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "quarry.backend.type", havingValue = "local", matchIfMissing = true)
public class LocalBackendConfiguration {

  /** The process pool, shared by the default backend and every local profile. */
  @Bean(destroyMethod = "close")
  LocalPool localPool(QuarryProperties props, ObjectStore store) {
    var backend = props.backend();
    var worker = backend.worker();
    WorkerSandbox sandbox =
        switch (backend.sandbox()) {
          case "bwrap" -> WorkerSandbox.BWRAP;
          case "none" -> WorkerSandbox.NONE;
          default ->
              throw new IllegalArgumentException(
                  "quarry.backend.sandbox must be bwrap or none, got '" + backend.sandbox() + "'");
        };
    // workers hold no storage credentials: they read and write through the backend, per grant
    LocalBackendOptions.Builder options =
        LocalBackendOptions.builder()
            .maxInFlightPerWorker(backend.maxInFlightPerWorker())
            .sandbox(sandbox)
            .store(store)
            .maxAddressSpaceBytes(worker.maxAddressSpace().toBytes())
            .maxProcesses(worker.maxProcesses())
            .maxOpenFiles(worker.maxOpenFiles())
            .maxCpuSeconds(worker.maxCpuSeconds())
            .maxTmpBytes(worker.maxTmp().toBytes())
            .maxObjectBytes(worker.maxObject().toBytes())
            .sandboxUid(worker.sandboxUid());
    if (backend.poolSize() > 0) {
      options.poolSize(backend.poolSize());
    }
    if (!backend.workerClasspath().isBlank()) {
      options.classpath(backend.workerClasspath());
    }
    List<String> jvmArgs = new ArrayList<>(LocalBackendOptions.defaultJvmArgs());
    if (!backend.workerJvmArgs().isBlank()) {
      jvmArgs.addAll(Arrays.asList(backend.workerJvmArgs().trim().split("\\s+")));
    }
    if (sandbox == WorkerSandbox.NONE) {
      // sandboxed workers cache jars in their private /tmp; unsandboxed ones share a directory
      jvmArgs.add(
          "-D"
              + TaskRunner.CACHE_DIR_PROPERTY
              + "="
              + props.dataDir().resolve("worker-jars").toAbsolutePath());
    }
    options.jvmArgs(jvmArgs);
    return new LocalPool(LocalBackends.create(options.build()));
  }
}
