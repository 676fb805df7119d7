package dev.quarry.server.backend.lambda;

import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.server.backend.BackendRuntimes;
import java.util.List;

/**
 * The worker functions of one Lambda lane, deployed with the lane's {@link RuntimeSpec}. Updating
 * or deleting a function that does not exist throws {@code RuntimeNotFoundException}, which the
 * runtimes service answers as RUNTIME_NOT_FOUND.
 */
record LambdaRuntimesView(LambdaRuntimes runtimes, RuntimeSpec spec) implements BackendRuntimes {
  @Override
  public List<WorkerRuntime> list() {
    return runtimes.list();
  }

  @Override
  public WorkerRuntime deploy() {
    return runtimes.deploy(spec);
  }

  @Override
  public WorkerRuntime update(String name) {
    return runtimes.update(name, spec);
  }

  @Override
  public WorkerRuntime delete(String name) {
    return runtimes.delete(name);
  }
}
