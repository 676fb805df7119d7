package dev.quarry.server.functions;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code blobs}: a tenant has uploaded content with this digest. */
@Entity
@Table(name = "blobs")
class BlobEntity {
  @EmbeddedId private Key id;

  private long size;

  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  protected BlobEntity() {
    this.id = new Key("", "");
    this.createdAt = Instant.EPOCH;
  }

  /** A blob's key: digests are deduplicated per tenant, never across tenants. */
  @Embeddable
  record Key(@Column(name = "tenant_id") String tenantId, @Column(name = "digest") String digest) {}
}
