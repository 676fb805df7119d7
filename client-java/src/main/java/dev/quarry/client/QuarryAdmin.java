package dev.quarry.client;

import dev.quarry.client.internal.ClientConfig;
import dev.quarry.client.internal.Connection;
import dev.quarry.proto.v1.CreateKeyRequest;
import dev.quarry.proto.v1.CreateTenantRequest;
import dev.quarry.proto.v1.CredentialServiceGrpc;
import dev.quarry.proto.v1.DeleteCredentialRequest;
import dev.quarry.proto.v1.DeleteProfileRequest;
import dev.quarry.proto.v1.DisableTenantRequest;
import dev.quarry.proto.v1.GetTenantLimitsRequest;
import dev.quarry.proto.v1.KeyServiceGrpc;
import dev.quarry.proto.v1.ListAuditEventsRequest;
import dev.quarry.proto.v1.ListCredentialsRequest;
import dev.quarry.proto.v1.ListKeysRequest;
import dev.quarry.proto.v1.ListProfilesRequest;
import dev.quarry.proto.v1.ListTenantsRequest;
import dev.quarry.proto.v1.PutCredentialRequest;
import dev.quarry.proto.v1.PutProfileRequest;
import dev.quarry.proto.v1.RevokeKeyRequest;
import dev.quarry.proto.v1.SetTenantLimitsRequest;
import dev.quarry.proto.v1.TenantLimits;
import dev.quarry.proto.v1.TenantServiceGrpc;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Team settings for admins (API keys, cloud credentials, backend profiles, the audit log) and
 * tenants and their limits for the operator, over the gRPC admin services. Secrets go one way:
 * credential values are sent and never read back; a new key's secret is returned once.
 *
 * <p>Every method throws {@link QuarryException}: {@code PERMISSION_DENIED} when the key's role may
 * not do it, {@code NOT_FOUND} for an unknown name, {@code INVALID_ARGUMENT} for bad input.
 *
 * <p>Long because it is a public API with one documented method per admin and operator operation
 * (keys, audit, credentials, profiles, tenants, limits).
 */
public final class QuarryAdmin implements AutoCloseable {
  /** An API key as listed (never its secret). */
  public record ApiKey(
      String id,
      String prefix,
      String name,
      String role,
      Instant createdAt,
      @Nullable Instant lastUsedAt,
      @Nullable Instant revokedAt) {}

  /** A value created with a secret that is shown only now. */
  public record WithSecret<T>(T value, String secret) {}

  /** One audit-log entry. */
  public record AuditEvent(
      long id, String keyId, String actor, String action, String target, Instant at) {}

  /** A stored cloud credential (its values are never returned). */
  public record Credential(String name, String kind, Instant createdAt, Instant updatedAt) {}

  /** A backend profile. */
  public record Profile(
      String name,
      String backend,
      Map<String, String> settings,
      String credential,
      Instant createdAt,
      Instant updatedAt) {}

  /** A tenant (team). */
  public record Tenant(String id, String name, Instant createdAt, boolean disabled) {}

  private final Connection connection;
  private final KeyServiceGrpc.KeyServiceBlockingStub keys;
  private final CredentialServiceGrpc.CredentialServiceBlockingStub credentials;
  private final TenantServiceGrpc.TenantServiceBlockingStub tenants;
  private final ClientOptions options;

  private QuarryAdmin(Connection connection, ClientOptions options) {
    this.connection = connection;
    var channel = connection.channel();
    this.keys = KeyServiceGrpc.newBlockingStub(channel).withInterceptors(connection.auth());
    this.credentials =
        CredentialServiceGrpc.newBlockingStub(channel).withInterceptors(connection.auth());
    this.tenants = TenantServiceGrpc.newBlockingStub(channel).withInterceptors(connection.auth());
    this.options = options;
  }

  /** Connects to {@code target} (null: the configured one). */
  public static QuarryAdmin connect(@Nullable String target, ClientOptions options) {
    return connect(
        ClientConfig.resolve(target, Objects.requireNonNull(options, "options")), options);
  }

  /** Connects as an already resolved {@link ClientConfig} says. */
  public static QuarryAdmin connect(ClientConfig config, ClientOptions options) {
    return new QuarryAdmin(Connection.open(config, options), options);
  }

  public List<ApiKey> listKeys() {
    return call(
        "list keys",
        () ->
            keys().listKeys(ListKeysRequest.getDefaultInstance()).getKeysList().stream()
                .map(QuarryAdmin::key)
                .toList());
  }

  /**
   * Creates a key with role {@code admin}, {@code member} or {@code viewer}; its secret is returned
   * once.
   */
  public WithSecret<ApiKey> createKey(String name, String role) {
    var r =
        call(
            "create key " + name,
            () ->
                keys()
                    .createKey(CreateKeyRequest.newBuilder().setName(name).setRole(role).build()));
    return new WithSecret<>(key(r.getKey()), r.getSecret());
  }

  public ApiKey revokeKey(String id) {
    return call(
        "revoke key " + id,
        () -> key(keys().revokeKey(RevokeKeyRequest.newBuilder().setId(id).build())));
  }

  /** The team's {@code limit} (1-1000) most recent audit events. */
  public List<AuditEvent> audit(int limit) {
    return call(
        "read the audit log",
        () ->
            keys()
                .listAuditEvents(ListAuditEventsRequest.newBuilder().setLimit(limit).build())
                .getEventsList()
                .stream()
                .map(
                    e ->
                        new AuditEvent(
                            e.getId(),
                            e.getKeyId(),
                            e.getActor(),
                            e.getAction(),
                            e.getTarget(),
                            Instant.ofEpochMilli(e.getAtMs())))
                .toList());
  }

  public List<Credential> listCredentials() {
    return call(
        "list credentials",
        () ->
            creds()
                .listCredentials(ListCredentialsRequest.getDefaultInstance())
                .getCredentialsList()
                .stream()
                .map(QuarryAdmin::credential)
                .toList());
  }

  /** Stores (or replaces) a credential; the server seals the values and never returns them. */
  public Credential putCredential(String name, String kind, Map<String, String> fields) {
    return call(
        "store credential " + name,
        () ->
            credential(
                creds()
                    .putCredential(
                        PutCredentialRequest.newBuilder()
                            .setName(name)
                            .setKind(kind)
                            .putAllFields(fields)
                            .build())));
  }

  public Credential deleteCredential(String name) {
    return call(
        "delete credential " + name,
        () ->
            credential(
                creds()
                    .deleteCredential(DeleteCredentialRequest.newBuilder().setName(name).build())));
  }

  public List<Profile> listProfiles() {
    return call(
        "list profiles",
        () ->
            creds()
                .listProfiles(ListProfilesRequest.getDefaultInstance())
                .getProfilesList()
                .stream()
                .map(QuarryAdmin::profile)
                .toList());
  }

  public Profile putProfile(
      String name, String backend, Map<String, String> settings, @Nullable String credential) {
    PutProfileRequest.Builder b =
        PutProfileRequest.newBuilder().setName(name).setBackend(backend).putAllSettings(settings);
    if (credential != null) {
      b.setCredential(credential);
    }
    return call("store profile " + name, () -> profile(creds().putProfile(b.build())));
  }

  public Profile deleteProfile(String name) {
    return call(
        "delete profile " + name,
        () ->
            profile(
                creds().deleteProfile(DeleteProfileRequest.newBuilder().setName(name).build())));
  }

  /** Operator: every tenant. */
  public List<Tenant> listTenants() {
    return call(
        "list tenants",
        () ->
            ten().listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList().stream()
                .map(QuarryAdmin::tenant)
                .toList());
  }

  /** Operator: creates a tenant and its first admin key, whose secret is returned once. */
  public WithSecret<Tenant> createTenant(String id, String name) {
    var r =
        call(
            "create tenant " + id,
            () ->
                ten()
                    .createTenant(
                        CreateTenantRequest.newBuilder().setId(id).setName(name).build()));
    return new WithSecret<>(tenant(r.getTenant()), r.getAdminKeySecret());
  }

  public Tenant disableTenant(String id) {
    return call(
        "disable tenant " + id,
        () -> tenant(ten().disableTenant(DisableTenantRequest.newBuilder().setId(id).build())));
  }

  /** Operator: a tenant's limits by name ({@code maxConcurrentInvocations}, ...). */
  public Map<String, Integer> limits(String tenantId) {
    return call(
        "get the limits of " + tenantId,
        () ->
            limits(
                ten()
                    .getTenantLimits(
                        GetTenantLimitsRequest.newBuilder().setTenantId(tenantId).build())));
  }

  /** Operator: overrides some limits; names in {@code reset} go back to the server default. */
  public Map<String, Integer> setLimits(
      String tenantId, Map<String, Integer> limits, List<String> reset) {
    return call(
        "set the limits of " + tenantId,
        () ->
            limits(
                ten()
                    .setTenantLimits(
                        SetTenantLimitsRequest.newBuilder()
                            .setTenantId(tenantId)
                            .putAllLimits(limits)
                            .addAllReset(reset)
                            .build())));
  }

  private KeyServiceGrpc.KeyServiceBlockingStub keys() {
    return keys.withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private CredentialServiceGrpc.CredentialServiceBlockingStub creds() {
    return credentials.withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private TenantServiceGrpc.TenantServiceBlockingStub ten() {
    return tenants.withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String action, Supplier<T> rpc) {
    return connection.call(action, rpc);
  }

  private static @Nullable Instant at(long ms) {
    return ms == 0 ? null : Instant.ofEpochMilli(ms);
  }

  private static ApiKey key(dev.quarry.proto.v1.ApiKey k) {
    return new ApiKey(
        k.getId(),
        k.getPrefix(),
        k.getName(),
        k.getRole(),
        Instant.ofEpochMilli(k.getCreatedAtMs()),
        at(k.getLastUsedAtMs()),
        at(k.getRevokedAtMs()));
  }

  private static Credential credential(dev.quarry.proto.v1.Credential c) {
    return new Credential(
        c.getName(),
        c.getKind(),
        Instant.ofEpochMilli(c.getCreatedAtMs()),
        Instant.ofEpochMilli(c.getUpdatedAtMs()));
  }

  private static Profile profile(dev.quarry.proto.v1.Profile p) {
    return new Profile(
        p.getName(),
        p.getBackend(),
        Map.copyOf(p.getSettingsMap()),
        p.getCredential(),
        Instant.ofEpochMilli(p.getCreatedAtMs()),
        Instant.ofEpochMilli(p.getUpdatedAtMs()));
  }

  private static Tenant tenant(dev.quarry.proto.v1.Tenant t) {
    return new Tenant(
        t.getId(), t.getName(), Instant.ofEpochMilli(t.getCreatedAtMs()), t.getDisabled());
  }

  private static Map<String, Integer> limits(TenantLimits l) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("maxConcurrentInvocations", l.getMaxConcurrentInvocations());
    m.put("maxInputsPerJob", l.getMaxInputsPerJob());
    m.put("maxInputBytes", l.getMaxInputBytes());
    m.put("maxRequestBytes", l.getMaxRequestBytes());
    m.put("maxJobsInFlight", l.getMaxJobsInFlight());
    m.put("requestsPerSecond", l.getRequestsPerSecond());
    m.put("maxStorageMib", l.getMaxStorageMib());
    m.put("maxStorageObjects", l.getMaxStorageObjects());
    return m;
  }

  /** Closes the connection (waiting up to 5 seconds). */
  @Override
  public void close() {
    connection.close();
  }
}
