package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.functions.BlobService;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.limits.LimitsService;
import dev.quarry.server.limits.TenantLimits;
import dev.quarry.server.tenancy.KeyService;
import dev.quarry.server.tenancy.TenantService;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The admin domain's repositories against the real database, through the services that own them:
 * every lookup is scoped by tenant (tenant B never loads tenant A's rows, even by id or name),
 * names are unique per tenant only, and upserts replace what they should.
 */
class AdminDomainTest {
  static final Principal OPERATOR = new Principal("", new UUID(0, 0), Role.OPERATOR);
  static final Map<String, String> AWS =
      Map.of("accessKeyId", "AKIA0", "secretAccessKey", "s3cr3t");

  static TenantService tenants;
  static KeyService keys;
  static ApiKeyService apiKeys;
  static CredentialService credentials;
  static ProfileService profiles;
  static FunctionService functions;
  static BlobService blobs;
  static LimitsService limits;
  static AuditLog audit;

  @BeforeAll
  static void start() throws Exception {
    ConfigurableApplicationContext ctx = TestServer.get().context;
    tenants = ctx.getBean(TenantService.class);
    keys = ctx.getBean(KeyService.class);
    apiKeys = ctx.getBean(ApiKeyService.class);
    credentials = ctx.getBean(CredentialService.class);
    profiles = ctx.getBean(ProfileService.class);
    functions = ctx.getBean(FunctionService.class);
    blobs = ctx.getBean(BlobService.class);
    limits = ctx.getBean(LimitsService.class);
    audit = ctx.getBean(AuditLog.class);
  }

  static Principal newTenantAdmin() {
    String id = "adm-" + UUID.randomUUID().toString().substring(0, 8);
    TenantService.Created created = tenants.create(OPERATOR, id, "Admin domain " + id);
    return new Principal(id, created.adminKey().id(), Role.ADMIN);
  }

  static ErrorCode codeOf(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e.code();
    }
    throw new AssertionError("no ApiException");
  }

  @Test
  void tenantNeverLoadsAnotherTenantsRowsByNameOrId() {
    Principal a = newTenantAdmin();
    Principal b = newTenantAdmin();

    credentials.put(a, "cloud", "aws", AWS);
    profiles.put(a, "prod", "local", Map.of(), null);
    KeyService.Created keyOfA = keys.create(a, "bot", "member");
    String jar =
        blobs.put(a.tenantId(), ("jar of " + a.tenantId()).getBytes(StandardCharsets.UTF_8));
    String payload = blobs.put(a.tenantId(), new byte[] {1, 2, 3, (byte) a.tenantId().hashCode()});
    FunctionService.FunctionInfo named =
        functions.registerJarEntry(a.tenantId(), "shout", "com.example.Shout", List.of(jar));
    FunctionService.FunctionInfo anonymous =
        functions.registerSerialized(a.tenantId(), payload, List.of(jar));
    limits.set(OPERATOR, a.tenantId(), Map.of("maxJobsInFlight", 3));

    assertThat(credentials.list(b)).isEmpty();
    assertThat(codeOf(() -> credentials.open(b, "cloud", "test"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(codeOf(() -> credentials.delete(b, "cloud"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(codeOf(() -> credentials.openForServer(b.tenantId(), "cloud", "test")))
        .isEqualTo(ErrorCode.NOT_FOUND);

    assertThat(profiles.list(b)).isEmpty();
    assertThat(profiles.lookup(b.tenantId(), "prod")).isEmpty();
    assertThat(codeOf(() -> profiles.delete(b, "prod"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(codeOf(() -> profiles.put(b, "uses-a", "local", Map.of(), "cloud")))
        .isEqualTo(ErrorCode.NOT_FOUND);

    assertThat(keys.list(b)).extracting(KeyService.KeyInfo::id).doesNotContain(keyOfA.key().id());
    assertThat(apiKeys.find(b.tenantId(), keyOfA.key().id())).isEmpty();
    assertThat(codeOf(() -> keys.revoke(b, keyOfA.key().id()))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(apiKeys.find(a.tenantId(), keyOfA.key().id()).orElseThrow().getRevokedAt()).isNull();
    assertThat(apiKeys.isValid(keyOfA.secret())).isTrue();

    assertThat(blobs.missing(b.tenantId(), List.of(jar, payload))).containsExactly(jar, payload);
    assertThat(blobs.missing(a.tenantId(), List.of(jar, payload))).isEmpty();
    assertThat(codeOf(() -> functions.resolve(b.tenantId(), "shout")))
        .isEqualTo(ErrorCode.NOT_FOUND);
    for (UUID id : List.of(named.id(), anonymous.id())) {
      assertThat(functions.resolve(a.tenantId(), id.toString()).id()).isEqualTo(id);
      assertThat(codeOf(() -> functions.resolve(b.tenantId(), id.toString())))
          .isEqualTo(ErrorCode.NOT_FOUND);
    }
    assertThat(functions.list(b.tenantId()))
        .extracting(FunctionService.FunctionInfo::kind)
        .containsOnly("BUILTIN");
    assertThat(codeOf(() -> functions.registerSerialized(b.tenantId(), payload, List.of())))
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);

    assertThat(limits.of(a.tenantId()).maxJobsInFlight()).isEqualTo(3);
    assertThat(limits.of(b.tenantId())).isEqualTo(limits.defaults());

    assertThat(audit.list(a, 100))
        .extracting(AuditLog.Entry::action)
        .contains("credential.put", "profile.put", "key.create", "limits.set");
    assertThat(audit.list(b, 100))
        .extracting(AuditLog.Entry::action)
        .containsExactly("tenant.create");
  }

  @Test
  void namesAreUniquePerTenantOnlyAndPutReplacesTheWholeRow() {
    Principal a = newTenantAdmin();
    Principal b = newTenantAdmin();
    CredentialService.CredentialInfo first = credentials.put(a, "cloud", "aws", AWS);
    credentials.put(
        b,
        "cloud",
        "azure",
        Map.of("tenantId", "t", "clientId", "c", "clientSecret", "s", "subscriptionId", "x"));

    Map<String, String> rotated = new HashMap<>(AWS);
    rotated.put("secretAccessKey", "n3w");
    CredentialService.CredentialInfo second = credentials.put(a, "cloud", "aws", rotated);

    assertThat(credentials.list(a))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo("aws");
              assertThat(c.createdAt()).isEqualTo(first.createdAt());
              assertThat(c.updatedAt()).isAfterOrEqualTo(first.updatedAt());
            });
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(credentials.open(a, "cloud", "test")).isEqualTo(rotated);
    assertThat(credentials.list(b))
        .singleElement()
        .extracting(CredentialService.CredentialInfo::kind)
        .isEqualTo("azure");

    profiles.put(a, "p", "local", Map.of("maxAttempts", "2"), null);
    ProfileService.Profile replaced = profiles.put(a, "p", "local", Map.of(), "cloud");
    assertThat(replaced.settings()).isEmpty();
    assertThat(replaced.credential()).isEqualTo("cloud");
    assertThat(codeOf(() -> credentials.delete(a, "cloud"))).isEqualTo(ErrorCode.CONFLICT);
    profiles.delete(a, "p");
    assertThat(credentials.delete(a, "cloud").name()).isEqualTo("cloud");
    assertThat(credentials.list(a)).isEmpty();
    assertThat(credentials.list(b)).hasSize(1);
  }

  @Test
  void tenantIdIsTakenOnceAndAConflictLeavesNoKeyOrAuditEvent() {
    Principal a = newTenantAdmin();
    int keysBefore = keys.list(a).size();
    assertThat(codeOf(() -> tenants.create(OPERATOR, a.tenantId(), "again")))
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(keys.list(a)).hasSize(keysBefore);
    assertThat(audit.list(a, 10))
        .extracting(AuditLog.Entry::action)
        .containsExactly("tenant.create");
    assertThat(tenants.list(OPERATOR)).filteredOn(t -> t.id().equals(a.tenantId())).hasSize(1);
  }

  @Test
  void limitsSetOnlyTheNamedOverridesAndNullReturnsToTheDefault() {
    Principal a = newTenantAdmin();
    TenantLimits d = limits.defaults();
    limits.set(OPERATOR, a.tenantId(), Map.of("maxJobsInFlight", 3));
    limits.set(OPERATOR, a.tenantId(), Map.of("maxInputsPerJob", 5));
    assertThat(limits.of(a.tenantId()).maxJobsInFlight()).isEqualTo(3);
    assertThat(limits.of(a.tenantId()).maxInputsPerJob()).isEqualTo(5);

    Map<String, Integer> reset = new HashMap<>();
    reset.put("maxJobsInFlight", null);
    limits.set(OPERATOR, a.tenantId(), reset);
    assertThat(limits.of(a.tenantId()).maxJobsInFlight()).isEqualTo(d.maxJobsInFlight());
    assertThat(limits.of(a.tenantId()).maxInputsPerJob()).isEqualTo(5);
    assertThatThrownBy(() -> limits.set(OPERATOR, "no-such-tenant", Map.of("maxJobsInFlight", 3)))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void disabledTenantsKeysStopAndRevokedKeysStayRevokedAtTheFirstTime() {
    Principal a = newTenantAdmin();
    KeyService.Created key = keys.create(a, "bot", "viewer");
    assertThat(apiKeys.isValid(key.secret())).isTrue();
    KeyService.KeyInfo revoked = keys.revoke(a, key.key().id());
    assertThat(revoked.revokedAt()).isNotNull();
    assertThat(keys.revoke(a, key.key().id()).revokedAt()).isEqualTo(revoked.revokedAt());
    assertThat(apiKeys.isValid(key.secret())).isFalse();

    KeyService.Created other = keys.create(a, "other", "member");
    assertThat(apiKeys.isValid(other.secret())).isTrue();
    assertThat(tenants.disable(OPERATOR, a.tenantId()).disabled()).isTrue();
    assertThat(apiKeys.isValid(other.secret())).isFalse();
    assertThat(codeOf(() -> tenants.disable(OPERATOR, "no-such-tenant")))
        .isEqualTo(ErrorCode.NOT_FOUND);
  }
}
