package dev.quarry.server.auth;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Creates and checks API keys. A key reads {@code qk_<prefix>_<secret>}; only its SHA-256 is
 * stored. Successful checks are cached for one second so a burst of calls costs one query; a
 * revocation or a disabled tenant clears the cache on every replica (NOTIFY {@code quarry_keys}).
 * The keys themselves are {@link ApiKeyEntity} rows, read and written through a Spring Data
 * repository that no other package sees.
 */
@Service
public class ApiKeyService {
  private static final Duration CACHE_TTL = Duration.ofSeconds(1);

  private static final UUID OPERATOR_KEY_ID = new UUID(0, 0);

  private final ApiKeyRepository repository;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final byte @Nullable [] operatorKeyHash;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  ApiKeyService(
      ApiKeyRepository repository,
      JdbcClient jdbc,
      Clock clock,
      dev.quarry.server.QuarryProperties props) {
    this.repository = repository;
    this.jdbc = jdbc;
    this.clock = clock;
    String operator = props.operatorKey();
    if (!operator.isEmpty() && operator.length() < 24) {
      throw new IllegalStateException(
          "quarry.operator-key (QUARRY_OPERATOR_KEY) must be at least 24 characters");
    }
    this.operatorKeyHash = operator.isEmpty() ? null : HashedSecrets.sha256(operator);
  }

  /** Forgets every cached check, so revocations and disabled tenants apply at once. */
  public void invalidateAll() {
    cache.clear();
  }

  /**
   * Tells every replica (at commit of the current transaction, if any) to forget its cached checks;
   * call {@link #invalidateAll} for this replica once the change is committed.
   */
  public void notifyReplicas() {
    jdbc.sql("select pg_notify('quarry_keys', '')").query().singleRow();
  }

  /** A tenant's keys, oldest first. */
  public List<ApiKeyEntity> list(String tenantId) {
    return repository.findByTenantIdOrderByCreatedAt(tenantId);
  }

  /** A tenant's key by id; empty for a key of another tenant or none. */
  public Optional<ApiKeyEntity> find(String tenantId, UUID id) {
    return repository.findByTenantIdAndId(tenantId, id);
  }

  /**
   * Revokes a tenant's key (revoking twice is not an error); false for a key of another tenant or
   * none. Callers notify the replicas ({@link #notifyReplicas}).
   */
  public boolean revoke(String tenantId, UUID id) {
    return repository.revoke(tenantId, id) > 0;
  }

  /** A new key: its id, public prefix, and the secret text that is never shown again. */
  public record CreatedKey(UUID id, String prefix, String secret) {}

  /** Creates a key for a tenant role. */
  public CreatedKey create(String tenantId, String name, Role role) {
    if (role == Role.OPERATOR) {
      throw new IllegalArgumentException("the operator key is configured, not created");
    }
    HashedSecrets.Issued issued = HashedSecrets.issue("qk");
    String key = issued.secret();
    UUID id = UUID.randomUUID();
    repository.save(
        new ApiKeyEntity(id, tenantId, issued.prefix(), issued.hash(), name, role.dbName()));
    return new CreatedKey(id, issued.prefix(), key);
  }

  /**
   * @throws ApiException UNAUTHENTICATED if the header is missing, malformed, unknown or revoked
   */
  public Principal authenticate(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthenticated("missing API key: send 'Authorization: Bearer <key>'");
    }
    String key = authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
    if (operatorKeyHash != null
        && MessageDigest.isEqual(operatorKeyHash, HashedSecrets.sha256(key))) {
      return new Principal("", OPERATOR_KEY_ID, Role.OPERATOR);
    }
    Instant now = clock.instant();
    Cached hit = cache.get(key);
    if (hit != null && hit.until.isAfter(now)) {
      return hit.principal;
    }
    Principal principal = lookup(key).orElseThrow(() -> unauthenticated("invalid API key"));
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(key, new Cached(principal, now.plus(CACHE_TTL)));
    return principal;
  }

  /**
   * Whether the key {@code caller} signed in with is still unrevoked and its tenant not disabled
   * (always true for the operator), for sessions that outlive the sign-in.
   */
  public boolean stillUsable(Principal caller) {
    return caller.role() == Role.OPERATOR || repository.countUsable(caller.keyId()) > 0;
  }

  /** Whether {@code key} is a valid, unrevoked key. */
  public boolean isValid(String key) {
    return lookup(key).isPresent();
  }

  private Optional<Principal> lookup(String key) {
    String[] parts = key.split("_", 3);
    if (parts.length != 3 || !parts[0].equals("qk") || key.length() > 200) {
      return Optional.empty();
    }
    byte[] hash = HashedSecrets.sha256(key);
    Optional<Principal> principal =
        repository
            .findUsable(parts[1])
            .filter(k -> k.hashMatches(hash))
            .map(k -> new Principal(k.getTenantId(), k.getId(), Role.ofTenantRole(k.getRole())));
    principal.ifPresent(p -> repository.touch(p.keyId()));
    return principal;
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }

  private record Cached(Principal principal, Instant until) {}
}
