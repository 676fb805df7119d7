package dev.quarry.server.functions;

import dev.quarry.server.jobs.FunctionRef;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code functions}. Its key is (tenant, id); the random id alone identifies it here, and
 * every query names the tenant as well. Rows are written by the repository's upserts only.
 */
@Entity
@Table(name = "functions")
class FunctionEntity {
  @Id private UUID id;

  @Column(name = "tenant_id")
  private String tenantId;

  private @Nullable String name;
  private String kind;
  private String codec;

  @Column(name = "entry_class")
  private @Nullable String entryClass;

  @Column(name = "payload_digest")
  private @Nullable String payloadDigest;

  @Column(name = "jar_digests")
  private String[] jarDigests;

  @Column(name = "bundle_digest")
  private String bundleDigest;

  @Column(name = "created_at")
  private Instant createdAt;

  protected FunctionEntity() {
    this.id = new UUID(0, 0);
    this.tenantId = "";
    this.kind = "";
    this.codec = "";
    this.jarDigests = new String[0];
    this.bundleDigest = "";
    this.createdAt = Instant.EPOCH;
  }

  FunctionRef ref() {
    return new FunctionRef(
        id,
        name != null ? name : "anonymous:" + id,
        kind,
        codec,
        entryClass,
        payloadDigest,
        List.of(jarDigests),
        bundleDigest);
  }

  FunctionService.FunctionInfo info() {
    return new FunctionService.FunctionInfo(
        id, name != null ? name : "anonymous:" + id, kind, codec, entryClass, createdAt);
  }
}
