package dev.quarry.server.auth;

import dev.quarry.server.db.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.jspecify.annotations.Nullable;

/** A row of {@code api_keys}: a key's public part and the SHA-256 of its secret. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity extends AssignedIdEntity<UUID> {
  @Id private UUID id;

  @Column(name = "tenant_id")
  private String tenantId;

  private String prefix;

  @Column(name = "secret_hash")
  private byte[] secretHash;

  private String name;
  private String role;

  @Generated
  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", insertable = false)
  private @Nullable Instant lastUsedAt;

  @Column(name = "revoked_at", insertable = false)
  private @Nullable Instant revokedAt;

  protected ApiKeyEntity() {
    this(new UUID(0, 0), "", "", new byte[0], "", "");
  }

  ApiKeyEntity(
      UUID id, String tenantId, String prefix, byte[] secretHash, String name, String role) {
    this.id = id;
    this.tenantId = tenantId;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.name = name;
    this.role = role;
    this.createdAt = Instant.EPOCH;
  }

  @Override
  public UUID getId() {
    return id;
  }

  public String getTenantId() {
    return tenantId;
  }

  public String getPrefix() {
    return prefix;
  }

  byte[] getSecretHash() {
    return secretHash;
  }

  public String getName() {
    return name;
  }

  /** The role as stored: {@code admin}, {@code member} or {@code viewer}. */
  public String getRole() {
    return role;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getLastUsedAt() {
    return lastUsedAt;
  }

  public @Nullable Instant getRevokedAt() {
    return revokedAt;
  }
}
