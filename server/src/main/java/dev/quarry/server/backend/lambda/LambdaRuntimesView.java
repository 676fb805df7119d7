package dev.quarry.server.backend.lambda;

import dev.quarry.backend.lambda.LambdaRuntime;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.server.backend.BackendRuntimes;
import dev.quarry.server.backend.WorkerRuntime;
import java.util.List;

/**
 * The worker functions of one Lambda lane, deployed with the lane's {@link RuntimeSpec}. Updating
 * or deleting a function that does not exist throws {@code RuntimeNotFoundException}, which the
 * runtimes service answers as RUNTIME_NOT_FOUND.
 */
record LambdaRuntimesView(LambdaRuntimes runtimes, RuntimeSpec spec) implements BackendRuntimes {
  @Override
  public List<WorkerRuntime> list() {
    return runtimes.list().stream().map(LambdaRuntimesView::view).toList();
  }

  @Override
  public WorkerRuntime deploy() {
    return view(runtimes.deploy(spec));
  }

  @Override
  public WorkerRuntime update(String name) {
    return view(runtimes.update(name, spec));
  }

  @Override
  public WorkerRuntime delete(String name) {
    return view(runtimes.delete(name));
  }

  static WorkerRuntime view(LambdaRuntime r) {
    return new WorkerRuntime(
        r.name(),
        r.workerVersion(),
        r.current(),
        r.memoryMb(),
        r.timeoutSeconds(),
        r.architecture(),
        r.runtime(),
        r.state(),
        r.lastUpdateStatus(),
        r.codeSha256(),
        r.codeSize(),
        r.lastModified(),
        r.change());
  }
}
