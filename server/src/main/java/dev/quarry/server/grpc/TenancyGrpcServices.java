package dev.quarry.server.grpc;

import dev.quarry.proto.v1.ApiKey;
import dev.quarry.proto.v1.AuditEvent;
import dev.quarry.proto.v1.CreateKeyRequest;
import dev.quarry.proto.v1.CreateKeyResponse;
import dev.quarry.proto.v1.CreateTenantRequest;
import dev.quarry.proto.v1.CreateTenantResponse;
import dev.quarry.proto.v1.DisableTenantRequest;
import dev.quarry.proto.v1.KeyServiceGrpc;
import dev.quarry.proto.v1.ListAuditEventsRequest;
import dev.quarry.proto.v1.ListAuditEventsResponse;
import dev.quarry.proto.v1.ListKeysRequest;
import dev.quarry.proto.v1.ListKeysResponse;
import dev.quarry.proto.v1.ListTenantsRequest;
import dev.quarry.proto.v1.ListTenantsResponse;
import dev.quarry.proto.v1.RevokeKeyRequest;
import dev.quarry.proto.v1.Tenant;
import dev.quarry.proto.v1.TenantServiceGrpc;
import dev.quarry.server.api.Ids;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.tenancy.KeyService;
import dev.quarry.server.tenancy.TenantService;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** gRPC faces of tenant and key management; same rules as REST. */
final class TenancyGrpcServices {
  private TenancyGrpcServices() {}

  @Component
  static class Tenants extends TenantServiceGrpc.TenantServiceImplBase {
    private final TenantService tenants;
    private final dev.quarry.server.credentials.CredentialService credentials;
    private final dev.quarry.server.limits.LimitsService limits;

    Tenants(
        TenantService tenants,
        dev.quarry.server.credentials.CredentialService credentials,
        dev.quarry.server.limits.LimitsService limits) {
      this.tenants = tenants;
      this.credentials = credentials;
      this.limits = limits;
    }

    @Override
    public void getTenantLimits(
        dev.quarry.proto.v1.GetTenantLimitsRequest r,
        StreamObserver<dev.quarry.proto.v1.TenantLimits> out) {
      JobGrpcService.unary(
          out, () -> limitsProto(limits.get(AuthInterceptor.principal(), r.getTenantId())));
    }

    @Override
    public void setTenantLimits(
        dev.quarry.proto.v1.SetTenantLimitsRequest r,
        StreamObserver<dev.quarry.proto.v1.TenantLimits> out) {
      JobGrpcService.unary(
          out,
          () -> {
            java.util.Map<String, Integer> values = new java.util.HashMap<>(r.getLimitsMap());
            r.getResetList().forEach(name -> values.put(name, null));
            return limitsProto(limits.set(AuthInterceptor.principal(), r.getTenantId(), values));
          });
    }

    @Override
    public void rotateSecrets(
        dev.quarry.proto.v1.RotateSecretsRequest r,
        StreamObserver<dev.quarry.proto.v1.RotateSecretsResponse> out) {
      JobGrpcService.unary(
          out,
          () ->
              dev.quarry.proto.v1.RotateSecretsResponse.newBuilder()
                  .setResealed(credentials.rotate(AuthInterceptor.principal()))
                  .setActiveKeyId(credentials.activeKeyId())
                  .build());
    }

    @Override
    public void createTenant(CreateTenantRequest r, StreamObserver<CreateTenantResponse> out) {
      JobGrpcService.unary(
          out,
          () -> {
            var created = tenants.create(AuthInterceptor.principal(), r.getId(), r.getName());
            return CreateTenantResponse.newBuilder()
                .setTenant(tenant(created.tenant()))
                .setAdminKey(key(created.adminKey()))
                .setAdminKeySecret(created.adminKeySecret())
                .build();
          });
    }

    @Override
    public void listTenants(ListTenantsRequest r, StreamObserver<ListTenantsResponse> out) {
      JobGrpcService.unary(
          out,
          () -> {
            var b = ListTenantsResponse.newBuilder();
            tenants.list(AuthInterceptor.principal()).forEach(t -> b.addTenants(tenant(t)));
            return b.build();
          });
    }

    @Override
    public void disableTenant(DisableTenantRequest r, StreamObserver<Tenant> out) {
      JobGrpcService.unary(
          out, () -> tenant(tenants.disable(AuthInterceptor.principal(), r.getId())));
    }
  }

  @Component
  static class Keys extends KeyServiceGrpc.KeyServiceImplBase {
    private final KeyService keys;
    private final AuditLog audit;

    Keys(KeyService keys, AuditLog audit) {
      this.keys = keys;
      this.audit = audit;
    }

    @Override
    public void createKey(CreateKeyRequest r, StreamObserver<CreateKeyResponse> out) {
      JobGrpcService.unary(
          out,
          () -> {
            var created = keys.create(AuthInterceptor.principal(), r.getName(), r.getRole());
            return CreateKeyResponse.newBuilder()
                .setKey(key(created.key()))
                .setSecret(created.secret())
                .build();
          });
    }

    @Override
    public void listKeys(ListKeysRequest r, StreamObserver<ListKeysResponse> out) {
      JobGrpcService.unary(
          out,
          () -> {
            var b = ListKeysResponse.newBuilder();
            keys.list(AuthInterceptor.principal()).forEach(k -> b.addKeys(key(k)));
            return b.build();
          });
    }

    @Override
    public void revokeKey(RevokeKeyRequest r, StreamObserver<ApiKey> out) {
      JobGrpcService.unary(
          out, () -> key(keys.revoke(AuthInterceptor.principal(), Ids.key(r.getId()))));
    }

    @Override
    public void listAuditEvents(
        ListAuditEventsRequest r, StreamObserver<ListAuditEventsResponse> out) {
      JobGrpcService.unary(
          out,
          () -> {
            var b = ListAuditEventsResponse.newBuilder();
            int limit = r.getLimit() == 0 ? 100 : r.getLimit();
            for (AuditLog.Entry e : audit.list(AuthInterceptor.principal(), limit)) {
              b.addEvents(
                  AuditEvent.newBuilder()
                      .setId(e.id())
                      .setKeyId(e.keyId() == null ? "" : e.keyId().toString())
                      .setActor(e.actor())
                      .setAction(e.action())
                      .setTarget(e.target())
                      .setAtMs(e.at().toEpochMilli()));
            }
            return b.build();
          });
    }
  }

  static dev.quarry.proto.v1.TenantLimits limitsProto(dev.quarry.server.limits.TenantLimits l) {
    return dev.quarry.proto.v1.TenantLimits.newBuilder()
        .setMaxConcurrentInvocations(l.maxConcurrentInvocations())
        .setMaxInputsPerJob(l.maxInputsPerJob())
        .setMaxInputBytes(l.maxInputBytes())
        .setMaxRequestBytes(l.maxRequestBytes())
        .setMaxJobsInFlight(l.maxJobsInFlight())
        .setRequestsPerSecond(l.requestsPerSecond())
        .setMaxStorageMib(l.maxStorageMib())
        .setMaxStorageObjects(l.maxStorageObjects())
        .build();
  }

  static Tenant tenant(TenantService.Tenant t) {
    return Tenant.newBuilder()
        .setId(t.id())
        .setName(t.name())
        .setCreatedAtMs(t.createdAt().toEpochMilli())
        .setDisabled(t.disabled())
        .build();
  }

  static ApiKey key(KeyService.KeyInfo k) {
    return ApiKey.newBuilder()
        .setId(k.id().toString())
        .setPrefix(k.prefix())
        .setName(k.name())
        .setRole(k.role())
        .setCreatedAtMs(k.createdAt().toEpochMilli())
        .setLastUsedAtMs(millis(k.lastUsedAt()))
        .setRevokedAtMs(millis(k.revokedAt()))
        .build();
  }

  private static long millis(@Nullable Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }
}
