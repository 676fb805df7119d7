package dev.quarry.server.backend.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.lambda.LambdaRuntime;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.backend.BackendRuntimes;
import dev.quarry.server.backend.WorkerRuntime;
import java.util.List;
import java.util.function.Supplier;

/** The worker functions of one Lambda lane, deployed with the lane's {@link RuntimeSpec}. */
record LambdaRuntimesView(LambdaRuntimes runtimes, RuntimeSpec spec) implements BackendRuntimes {
  private static final String MISSING = "no Lambda function named";

  @Override
  public List<WorkerRuntime> list() {
    return call(() -> runtimes.list().stream().map(LambdaRuntimesView::view).toList());
  }

  @Override
  public WorkerRuntime deploy() {
    return call(() -> view(runtimes.deploy(spec)));
  }

  @Override
  public WorkerRuntime update(String name) {
    return call(() -> view(runtimes.update(name, spec)));
  }

  @Override
  public WorkerRuntime delete(String name) {
    return call(() -> view(runtimes.delete(name)));
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (BackendException e) {
      String message = String.valueOf(e.getMessage());
      if (e.kind() == BackendException.Kind.PERMANENT && message.startsWith(MISSING)) {
        throw new ApiException(ErrorCode.NOT_FOUND, message);
      }
      throw e;
    }
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
