package dev.quarry.server.auth;

import dev.quarry.server.db.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.jspecify.annotations.Nullable;

/**
 * The columns an API key and a worker token share: a tenant's secret known by its public prefix, of
 * which only the SHA-256 is stored, with when it was created, last used and revoked. Each kind
 * keeps its own table.
 */
@MappedSuperclass
public abstract class HashedSecretEntity extends AssignedIdEntity<UUID> {
  @Id private UUID id;

  @Column(name = "tenant_id")
  private String tenantId;

  private String prefix;

  @Column(name = "secret_hash")
  private byte[] secretHash;

  private String name;

  @Generated
  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", insertable = false)
  private @Nullable Instant lastUsedAt;

  @Column(name = "revoked_at", insertable = false)
  private @Nullable Instant revokedAt;

  protected HashedSecretEntity(
      UUID id, String tenantId, String prefix, byte[] secretHash, String name) {
    this.id = id;
    this.tenantId = tenantId;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.name = name;
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

  /** Whether {@code hash} is this secret's SHA-256 (compared in constant time). */
  public boolean hashMatches(byte[] hash) {
    return MessageDigest.isEqual(hash, secretHash);
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
