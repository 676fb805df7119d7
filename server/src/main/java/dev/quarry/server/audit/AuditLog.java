package dev.quarry.server.audit;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;

/**
 * Records actions per tenant and lets the tenant's admins read them, newest first. A record joins
 * the caller's transaction, so an action and its audit event commit (or roll back) together.
 */
@Service
public class AuditLog {
  private final AuditEventRepository events;

  AuditLog(AuditEventRepository events) {
    this.events = events;
  }

  /** One recorded action. */
  public record Entry(
      long id, @Nullable UUID keyId, String actor, String action, String target, Instant at) {}

  /** Records that {@code who} did {@code action} on {@code target} in {@code tenant}. */
  public void record(String tenant, Principal who, String action, String target) {
    events.save(
        new AuditEventEntity(
            tenant,
            who.role() == Role.OPERATOR ? null : who.keyId(),
            who.role() == Role.OPERATOR ? "operator" : "key:" + who.keyId(),
            action,
            target));
  }

  /** Records an action the server took on its own on behalf of {@code tenant}. */
  public void recordServer(String tenant, String action, String target) {
    events.save(new AuditEventEntity(tenant, null, "server", action, target));
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
    return events.findByTenantIdOrderByIdDesc(caller.tenantId(), Limit.of(limit)).stream()
        .map(AuditEventEntity::entry)
        .toList();
  }
}
