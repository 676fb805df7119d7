package dev.quarry.server.workers;

import dev.quarry.server.db.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code worker_tokens}: a token's public part, its profile, the SHA-256 of its secret.
 */
@Entity
@Table(name = "worker_tokens")
public class WorkerTokenEntity extends AssignedIdEntity<UUID> {
  @Id private UUID id;

  @Column(name = "tenant_id")
  private String tenantId;

  @Column(name = "profile_name")
  private String profile;

  private String prefix;

  @Column(name = "secret_hash")
  private byte[] secretHash;

  private String name;

  @Column(name = "created_by")
  private @Nullable UUID createdBy;

  @Generated
  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", insertable = false)
  private @Nullable Instant lastUsedAt;

  @Column(name = "revoked_at", insertable = false)
  private @Nullable Instant revokedAt;

  protected WorkerTokenEntity() {
    this(new UUID(0, 0), "", "", "", new byte[0], "", null);
  }

  WorkerTokenEntity(
      UUID id,
      String tenantId,
      String profile,
      String prefix,
      byte[] secretHash,
      String name,
      @Nullable UUID createdBy) {
    this.id = id;
    this.tenantId = tenantId;
    this.profile = profile;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.name = name;
    this.createdBy = createdBy;
    this.createdAt = Instant.EPOCH;
  }

  @Override
  public UUID getId() {
    return id;
  }

  public String getTenantId() {
    return tenantId;
  }

  public String getProfile() {
    return profile;
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
