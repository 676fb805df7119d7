package dev.quarry.server.backend;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.storage.WorkerStorage;
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
  LocalPool localPool(QuarryProperties props, WorkerStorage storage) {
    var backend = props.backend();
    LocalBackendOptions.Builder options =
        LocalBackendOptions.builder()
            .maxInFlightPerWorker(backend.maxInFlightPerWorker())
            .environment(storage.secretEnvironment());
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
    jvmArgs.add(
        "-D" + TaskRunner.CACHE_DIR_PROPERTY + "=" + props.dataDir().resolve("worker-jars").toAbsolutePath());
    options.jvmArgs(jvmArgs);
    return new LocalPool(LocalBackends.create(options.build()));
  }
}
