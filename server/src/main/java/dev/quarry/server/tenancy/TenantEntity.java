package dev.quarry.server.tenancy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A row of {@code tenants}; created and disabled through {@link TenantRepository}. */
@Entity
@Table(name = "tenants")
public class TenantEntity {
  @Id private String id;
  private String name;

  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "disabled_at")
  private @Nullable Instant disabledAt;

  protected TenantEntity() {
    this.id = "";
    this.name = "";
    this.createdAt = Instant.EPOCH;
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getDisabledAt() {
    return disabledAt;
  }
}
