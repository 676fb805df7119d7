package dev.quarry.server.tenancy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A tenant admin's view of the tenant's API keys; secrets are never read back. */
@Service
public class KeyService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

  private final JdbcClient jdbc;
  private final ApiKeyService keys;
  private final AuditLog audit;

  public KeyService(JdbcClient jdbc, ApiKeyService keys, AuditLog audit) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.audit = audit;
  }

  /** A key without its secret. */
  public record KeyInfo(
      UUID id, String prefix, String name, String role, Instant createdAt,
      @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {}

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
    ApiKeyService.CreatedKey key = keys.create(admin.tenantId(), name, parsed);
    audit.record(admin, "key.create", key.id().toString());
    return new Created(find(jdbc, admin.tenantId(), key.id()).orElseThrow(), key.secret());
  }

  public List<KeyInfo> list(Principal admin) {
    admin.require(Role.ADMIN);
    return jdbc.sql("select * from api_keys where tenant_id = ? order by created_at")
        .param(admin.tenantId())
        .query(KeyService::map)
        .list();
  }

  /**
   * Revokes a key at once on every replica; revoking twice is not an error.
   *
   * @throws ApiException NOT_FOUND for a key of another tenant or none
   */
  public KeyInfo revoke(Principal admin, UUID id) {
    admin.require(Role.ADMIN);
    int n =
        jdbc.sql(
                "update api_keys set revoked_at = coalesce(revoked_at, now())"
                    + " where tenant_id = ? and id = ?")
            .params(admin.tenantId(), id)
            .update();
    if (n == 0) {
      throw ApiException.notFound(ErrorReason.KEY_NOT_FOUND, id.toString());
    }
    audit.record(admin, "key.revoke", id.toString());
    jdbc.sql("select pg_notify('quarry_keys', '')").query().singleRow();
    keys.invalidateAll();
    return find(jdbc, admin.tenantId(), id).orElseThrow();
  }

  static Optional<KeyInfo> find(JdbcClient jdbc, String tenant, UUID id) {
    return jdbc.sql("select * from api_keys where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query(KeyService::map)
        .optional();
  }

  private static KeyInfo map(ResultSet rs, int n) throws SQLException {
    return new KeyInfo(
        rs.getObject("id", UUID.class), rs.getString("prefix"), rs.getString("name"),
        rs.getString("role"), rs.getTimestamp("created_at").toInstant(),
        instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")));
  }

  private static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
