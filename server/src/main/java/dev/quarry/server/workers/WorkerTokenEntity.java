package dev.quarry.server.workers;

import dev.quarry.server.auth.HashedSecretEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code worker_tokens}: a token's public part, its profile, the SHA-256 of its secret.
 */
@Entity
@Table(name = "worker_tokens")
public class WorkerTokenEntity extends HashedSecretEntity {
  @Column(name = "profile_name")
  private String profile;

  @Column(name = "created_by")
  private @Nullable UUID createdBy;

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
    super(id, tenantId, prefix, secretHash, name);
    this.profile = profile;
    this.createdBy = createdBy;
  }

  public String getProfile() {
    return profile;
  }
}
