package dev.quarry.server.backend.local;

import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.backend.local.WorkerSandbox;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.LaneRequest;
import dev.quarry.server.backend.OpenedLane;
import dev.quarry.server.backend.SettinglessBackendPlugin;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import dev.quarry.worker.TaskRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Backend kind {@code local}: a pool of warm worker JVMs on this machine ({@code
 * quarry.backend.*}), shared by the default lane and every local profile. The pool starts with the
 * first lane that needs it (at start-up when {@code quarry.backend.type=local}), in the background
 * so that the server does not wait for the worker JVMs ({@link LocalPool}), and stops with the
 * server. Local profiles take only the common settings; a credential they name is opened and
 * audited on submit but not used.
 */
@Component
public class LocalBackendPlugin extends SettinglessBackendPlugin implements AutoCloseable {
  public static final String KIND = "local";

  /** Every local lane shares the pool's capacity under this budget. */
  public static final String BUDGET = "local";

  private final LocalPool pool;

  /**
   * @throws IllegalArgumentException for a {@code quarry.backend.sandbox} other than bwrap/none
   */
  public LocalBackendPlugin(
      QuarryProperties props,
      ObjectStore store,
      ObjectProvider<ProfileStores> stores,
      @Nullable TenantObjects objects) {
    LocalBackendOptions options =
        options(props, store, stores).toBuilder().tenantObjects(objects).build();
    this.pool = new LocalPool(options, LocalBackends::create);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public OpenedLane open(LaneRequest request) {
    return new OpenedLane(pool.shared(), BUDGET, true, Integer.MAX_VALUE, 0, null);
  }

  @Override
  public void close() {
    pool.close();
  }

  private static LocalBackendOptions options(
      QuarryProperties props, ObjectStore store, ObjectProvider<ProfileStores> stores) {
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
            // a profile naming its own bucket: its invocations read and write there
            .storeSelector(
                envelope ->
                    envelope.getProfile().isEmpty()
                        ? store
                        : stores
                            .getObject()
                            .forProfile(envelope.getTenantId(), envelope.getProfile())
                            .store())
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
    return options.build();
  }
}
