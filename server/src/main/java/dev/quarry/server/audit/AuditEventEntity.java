package dev.quarry.server.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.jspecify.annotations.Nullable;

/** A row of {@code audit_events}; written once, never changed. */
@Entity
@Table(name = "audit_events")
class AuditEventEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(name = "tenant_id", updatable = false)
  private String tenantId;

  @Column(name = "key_id", updatable = false)
  private @Nullable UUID keyId;

  @Column(updatable = false)
  private String actor;

  @Column(updatable = false)
  private String action;

  @Column(updatable = false)
  private String target;

  @Generated
  @Column(insertable = false, updatable = false)
  private Instant at;

  protected AuditEventEntity() {
    this("", null, "", "", "");
  }

  AuditEventEntity(
      String tenantId, @Nullable UUID keyId, String actor, String action, String target) {
    this.tenantId = tenantId;
    this.keyId = keyId;
    this.actor = actor;
    this.action = action;
    this.target = target;
    this.at = Instant.EPOCH;
  }

  AuditLog.Entry entry() {
    return new AuditLog.Entry(id == null ? 0 : id, keyId, actor, action, target, at);
  }
}
