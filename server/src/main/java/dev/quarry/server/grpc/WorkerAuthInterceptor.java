package dev.quarry.server.grpc;

import dev.quarry.server.workers.WorkerIdentity;
import dev.quarry.server.workers.WorkerTokenService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.springframework.stereotype.Component;

/**
 * Authenticates {@code WorkerService} calls with a worker token (not an API key) from the {@code
 * authorization} metadata entry; a missing, wrong or revoked token closes the call UNAUTHENTICATED
 * before any message is read.
 */
@Component
class WorkerAuthInterceptor implements ServerInterceptor {
  static final Context.Key<WorkerIdentity> WORKER = Context.key("quarry-worker");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final WorkerTokenService tokens;

  WorkerAuthInterceptor(WorkerTokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    WorkerIdentity worker;
    try {
      worker = tokens.authenticate(headers.get(AUTHORIZATION));
    } catch (RuntimeException e) {
      StatusRuntimeException failure = GrpcErrors.exception(e);
      call.close(failure.getStatus(), failure.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(WORKER, worker), call, headers, next);
  }
}
