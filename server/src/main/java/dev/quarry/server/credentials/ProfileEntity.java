package dev.quarry.server.credentials;

import dev.quarry.server.db.TenantScopedName;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code backend_profiles}. The settings stay the JSON text of the {@code jsonb} column;
 * {@link ProfileService} reads and writes them with its own mapper.
 */
@Entity
@Table(name = "backend_profiles")
class ProfileEntity {
  @EmbeddedId private TenantScopedName id;

  private String backend;

  @Column(insertable = false, updatable = false)
  private String settings;

  @Column(name = "credential_name")
  private @Nullable String credentialName;

  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", insertable = false, updatable = false)
  private Instant updatedAt;

  protected ProfileEntity() {
    this.id = new TenantScopedName("", "");
    this.backend = "";
    this.settings = "{}";
    this.createdAt = Instant.EPOCH;
    this.updatedAt = Instant.EPOCH;
  }

  TenantScopedName id() {
    return id;
  }

  String backend() {
    return backend;
  }

  String settings() {
    return settings;
  }

  @Nullable String credentialName() {
    return credentialName;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }
}
