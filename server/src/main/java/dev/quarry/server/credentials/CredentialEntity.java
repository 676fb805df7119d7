package dev.quarry.server.credentials;

import dev.quarry.server.db.TenantScopedName;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code credentials}: a tenant's sealed credential set, never returned by any API. */
@Entity
@Table(name = "credentials")
class CredentialEntity {
  @EmbeddedId private TenantScopedName id;

  private String kind;

  @Column(name = "key_id")
  private String keyId;

  private byte[] sealed;

  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", insertable = false, updatable = false)
  private Instant updatedAt;

  protected CredentialEntity() {
    this.id = new TenantScopedName("", "");
    this.kind = "";
    this.keyId = "";
    this.sealed = new byte[0];
    this.createdAt = Instant.EPOCH;
    this.updatedAt = Instant.EPOCH;
  }

  TenantScopedName id() {
    return id;
  }

  String kind() {
    return kind;
  }

  String keyId() {
    return keyId;
  }

  byte[] sealed() {
    return sealed;
  }

  CredentialService.CredentialInfo info() {
    return new CredentialService.CredentialInfo(id.name(), kind, createdAt, updatedAt);
  }
}
