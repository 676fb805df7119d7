package dev.quarry.server.tenancy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The operator's view: create, list and disable tenants. */
@Service
public class TenantService {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

  private final JdbcClient jdbc;
  private final ApiKeyService keys;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  public TenantService(JdbcClient jdbc, ApiKeyService keys, AuditLog audit, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.audit = audit;
    this.tx = tx;
  }

  /** A tenant as the operator sees it. */
  public record Tenant(String id, String name, Instant createdAt, boolean disabled) {}

  /** A new tenant with its first admin key. */
  public record Created(Tenant tenant, KeyService.KeyInfo adminKey, String adminKeySecret) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for a bad id or name, CONFLICT if the id is taken
   */
  public Created create(Principal operator, String id, String name) {
    operator.require(Role.OPERATOR);
    if (!ID.matcher(id).matches()) {
      throw ApiException.invalid(
          "tenant id must be 2-40 lower-case letters, digits or '-', starting with a letter");
    }
    if (name.isBlank() || name.length() > 100) {
      throw ApiException.invalid("tenant name must be 1-100 characters");
    }
    dev.quarry.server.api.Texts.requirePrintable("tenant name", name);
    return tx.execute(
        s -> {
          int inserted =
              jdbc.sql("insert into tenants (id, name) values (?, ?) on conflict do nothing")
                  .params(id, name)
                  .update();
          if (inserted == 0) {
            throw new ApiException(ErrorReason.ALREADY_EXISTS, "tenant '" + id + "' already exists");
          }
          ApiKeyService.CreatedKey key = keys.create(id, "admin", Role.ADMIN);
          audit.record(id, operator, "tenant.create", id);
          return new Created(
              find(id).orElseThrow(),
              KeyService.find(jdbc, id, key.id()).orElseThrow(),
              key.secret());
        });
  }

  public List<Tenant> list(Principal operator) {
    operator.require(Role.OPERATOR);
    return jdbc.sql("select * from tenants order by id").query(TenantService::map).list();
  }

  /**
   * Disables a tenant: its keys stop working at once on every replica.
   *
   * @throws ApiException NOT_FOUND for an unknown tenant
   */
  public Tenant disable(Principal operator, String id) {
    operator.require(Role.OPERATOR);
    int n =
        jdbc.sql(
                "update tenants set disabled_at = coalesce(disabled_at, now()) where id = ?")
            .param(id)
            .update();
    if (n == 0) {
      throw ApiException.notFound(ErrorReason.TENANT_NOT_FOUND, id);
    }
    audit.record(id, operator, "tenant.disable", id);
    jdbc.sql("select pg_notify('quarry_keys', '')").query().singleRow();
    keys.invalidateAll();
    return find(id).orElseThrow();
  }

  private java.util.Optional<Tenant> find(String id) {
    return jdbc.sql("select * from tenants where id = ?").param(id).query(TenantService::map).optional();
  }

  private static Tenant map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    java.sql.Timestamp disabled = rs.getTimestamp("disabled_at");
    return new Tenant(
        rs.getString("id"), rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
        disabled != null);
  }
}
