package dev.quarry.server.grpc;

import dev.quarry.proto.v1.CreateWorkerTokenRequest;
import dev.quarry.proto.v1.CreateWorkerTokenResponse;
import dev.quarry.proto.v1.ListWorkerTokensRequest;
import dev.quarry.proto.v1.ListWorkerTokensResponse;
import dev.quarry.proto.v1.RevokeWorkerTokenRequest;
import dev.quarry.proto.v1.WorkerToken;
import dev.quarry.proto.v1.WorkerTokenServiceGrpc;
import dev.quarry.server.api.Ids;
import dev.quarry.server.workers.WorkerTokenService;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** gRPC face of worker token management (tenant admins); same rules as REST. */
@Component
class WorkerTokenGrpcService extends WorkerTokenServiceGrpc.WorkerTokenServiceImplBase {
  private final WorkerTokenService tokens;

  WorkerTokenGrpcService(WorkerTokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public void createWorkerToken(
      CreateWorkerTokenRequest r, StreamObserver<CreateWorkerTokenResponse> out) {
    JobGrpcService.unary(
        out,
        () -> {
          var created = tokens.create(AuthInterceptor.principal(), r.getName(), r.getProfile());
          return CreateWorkerTokenResponse.newBuilder()
              .setToken(token(created.token()))
              .setSecret(created.secret())
              .build();
        });
  }

  @Override
  public void listWorkerTokens(
      ListWorkerTokensRequest r, StreamObserver<ListWorkerTokensResponse> out) {
    JobGrpcService.unary(
        out,
        () -> {
          var b = ListWorkerTokensResponse.newBuilder();
          tokens.list(AuthInterceptor.principal()).forEach(t -> b.addTokens(token(t)));
          return b.build();
        });
  }

  @Override
  public void revokeWorkerToken(RevokeWorkerTokenRequest r, StreamObserver<WorkerToken> out) {
    JobGrpcService.unary(
        out, () -> token(tokens.revoke(AuthInterceptor.principal(), Ids.workerToken(r.getId()))));
  }

  static WorkerToken token(WorkerTokenService.TokenInfo t) {
    return WorkerToken.newBuilder()
        .setId(t.id().toString())
        .setPrefix(t.prefix())
        .setName(t.name())
        .setProfile(t.profile())
        .setCreatedAtMs(t.createdAt().toEpochMilli())
        .setLastUsedAtMs(millis(t.lastUsedAt()))
        .setRevokedAtMs(millis(t.revokedAt()))
        .build();
  }

  private static long millis(@Nullable Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }
}
