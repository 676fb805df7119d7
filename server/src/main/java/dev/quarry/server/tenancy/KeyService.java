package dev.quarry.server.tenancy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.ApiKeyEntity;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** A tenant admin's view of the tenant's API keys; secrets are never read back. */
@Service
public class KeyService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

  private final ApiKeyService keys;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  public KeyService(ApiKeyService keys, AuditLog audit, TransactionTemplate tx) {
    this.keys = keys;
    this.audit = audit;
    this.tx = tx;
  }

  /** A key without its secret. */
  public record KeyInfo(
      UUID id,
      String prefix,
      String name,
      String role,
      Instant createdAt,
      @Nullable Instant lastUsedAt,
      @Nullable Instant revokedAt) {}

  /** A new key and its secret, shown once. */
  public record Created(KeyInfo key, String secret) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for a bad name or role
   */
  public Created create(Principal admin, String name, String role) {
    admin.require(Role.ADMIN);
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid("key name must be 1-64 letters, digits, spaces or ._-");
    }
    Role parsed;
    try {
      parsed = Role.ofTenantRole(role);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return tx.execute(
        s -> {
          ApiKeyService.CreatedKey key = keys.create(admin.tenantId(), name, parsed);
          audit.record(admin, "key.create", key.id().toString());
          return new Created(find(keys, admin.tenantId(), key.id()).orElseThrow(), key.secret());
        });
  }

  public List<KeyInfo> list(Principal admin) {
    admin.require(Role.ADMIN);
    return keys.list(admin.tenantId()).stream().map(KeyService::info).toList();
  }

  /**
   * Revokes a key at once on every replica; revoking twice is not an error.
   *
   * @throws ApiException NOT_FOUND for a key of another tenant or none
   */
  public KeyInfo revoke(Principal admin, UUID id) {
    admin.require(Role.ADMIN);
    KeyInfo revoked =
        tx.execute(
            s -> {
              if (!keys.revoke(admin.tenantId(), id)) {
                throw ApiException.notFound(ErrorReason.KEY_NOT_FOUND, id.toString());
              }
              audit.record(admin, "key.revoke", id.toString());
              keys.notifyReplicas();
              return find(keys, admin.tenantId(), id).orElseThrow();
            });
    keys.invalidateAll();
    return revoked;
  }

  static Optional<KeyInfo> find(ApiKeyService keys, String tenant, UUID id) {
    return keys.find(tenant, id).map(KeyService::info);
  }

  private static KeyInfo info(ApiKeyEntity k) {
    return new KeyInfo(
        k.getId(),
        k.getPrefix(),
        k.getName(),
        k.getRole(),
        k.getCreatedAt(),
        k.getLastUsedAt(),
        k.getRevokedAt());
  }
}
