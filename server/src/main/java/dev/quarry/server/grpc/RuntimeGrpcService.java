package dev.quarry.server.grpc;

import dev.quarry.backend.WorkerRuntime;
import dev.quarry.proto.v1.DeleteRuntimeRequest;
import dev.quarry.proto.v1.DeployRuntimeRequest;
import dev.quarry.proto.v1.ListRuntimesRequest;
import dev.quarry.proto.v1.ListRuntimesResponse;
import dev.quarry.proto.v1.Runtime;
import dev.quarry.proto.v1.RuntimeServiceGrpc;
import dev.quarry.proto.v1.UpdateRuntimeRequest;
import dev.quarry.server.runtimes.RuntimeService;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/** gRPC face of worker deployments; same rules as REST. */
@Component
public class RuntimeGrpcService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
  private final RuntimeService runtimes;

  public RuntimeGrpcService(RuntimeService runtimes) {
    this.runtimes = runtimes;
  }

  @Override
  public void listRuntimes(ListRuntimesRequest r, StreamObserver<ListRuntimesResponse> out) {
    JobGrpcService.unary(
        out,
        () -> {
          var b = ListRuntimesResponse.newBuilder();
          runtimes
              .list(AuthInterceptor.principal(), r.getProfile())
              .forEach(x -> b.addRuntimes(view(x)));
          return b.build();
        });
  }

  @Override
  public void deployRuntime(DeployRuntimeRequest r, StreamObserver<Runtime> out) {
    JobGrpcService.unary(
        out, () -> view(runtimes.deploy(AuthInterceptor.principal(), r.getProfile())));
  }

  @Override
  public void updateRuntime(UpdateRuntimeRequest r, StreamObserver<Runtime> out) {
    JobGrpcService.unary(
        out, () -> view(runtimes.update(AuthInterceptor.principal(), r.getProfile(), r.getName())));
  }

  @Override
  public void deleteRuntime(DeleteRuntimeRequest r, StreamObserver<Runtime> out) {
    JobGrpcService.unary(
        out, () -> view(runtimes.delete(AuthInterceptor.principal(), r.getProfile(), r.getName())));
  }

  static Runtime view(WorkerRuntime r) {
    return Runtime.newBuilder()
        .setName(r.name())
        .setWorkerVersion(r.workerVersion())
        .setCurrent(r.current())
        .setMemoryMb(r.memoryMb())
        .setTimeoutSeconds(r.timeoutSeconds())
        .setArchitecture(r.architecture())
        .setRuntime(r.runtime())
        .setState(r.state())
        .setLastUpdateStatus(r.lastUpdateStatus())
        .setCodeSha256(r.codeSha256())
        .setCodeSize(r.codeSize())
        .setLastModified(r.lastModified() == null ? "" : r.lastModified().toString())
        .setChange(r.change() == null ? "" : r.change())
        .build();
  }
}
