package dev.quarry.server.audit;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Records actions per tenant and lets the tenant's admins read them, newest first. */
@Service
public class AuditLog {
  private final JdbcClient jdbc;

  public AuditLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One recorded action. */
  public record Entry(
      long id, @Nullable UUID keyId, String actor, String action, String target, Instant at) {}

  /** Records that {@code who} did {@code action} on {@code target} in {@code tenant}. */
  public void record(String tenant, Principal who, String action, String target) {
    jdbc.sql(
            "insert into audit_events (tenant_id, key_id, actor, action, target)"
                + " values (?, ?, ?, ?, ?)")
        .params(
            tenant,
            who.role() == Role.OPERATOR ? null : who.keyId(),
            who.role() == Role.OPERATOR ? "operator" : "key:" + who.keyId(),
            action,
            target)
        .update();
  }

  /** Records an action the server took on its own on behalf of {@code tenant}. */
  public void recordServer(String tenant, String action, String target) {
    jdbc.sql("insert into audit_events (tenant_id, key_id, actor, action, target) values (?, null, 'server', ?, ?)")
        .params(tenant, action, target)
        .update();
  }

  /** Records an action of the caller in the caller's own tenant. */
  public void record(Principal who, String action, String target) {
    record(who.tenantId(), who, action, target);
  }

  /**
   * @throws ApiException PERMISSION_DENIED unless the caller is a tenant admin
   */
  public List<Entry> list(Principal caller, int limit) {
    caller.require(Role.ADMIN);
    if (limit < 1 || limit > 1000) {
      throw ApiException.invalid("limit must be between 1 and 1000");
    }
    return jdbc.sql(
            "select id, key_id, actor, action, target, at from audit_events"
                + " where tenant_id = ? order by id desc limit ?")
        .params(caller.tenantId(), limit)
        .query(
            (rs, n) ->
                new Entry(
                    rs.getLong("id"),
                    rs.getObject("key_id", UUID.class),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("target"),
                    rs.getTimestamp("at").toInstant()))
        .list();
  }
}
