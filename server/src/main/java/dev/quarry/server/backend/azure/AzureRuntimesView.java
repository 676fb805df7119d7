package dev.quarry.server.backend.azure;

import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.azure.AzureFunctionsRuntimes;
import dev.quarry.server.backend.BackendRuntimes;
import java.util.List;

/** The worker apps of one Azure Functions lane, for the runtimes API. */
record AzureRuntimesView(AzureFunctionsRuntimes runtimes) implements BackendRuntimes {
  @Override
  public List<WorkerRuntime> list() {
    return runtimes.list();
  }

  @Override
  public WorkerRuntime deploy() {
    return runtimes.deploy();
  }

  @Override
  public WorkerRuntime update(String name) {
    return runtimes.update(name);
  }

  @Override
  public WorkerRuntime delete(String name) {
    return runtimes.delete(name);
  }
}
