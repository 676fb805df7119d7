package dev.quarry.server.limits;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.UpdateTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code tenant_limits}: the operator's overrides, null where the default applies. Only
 * changed columns are written, so two operators setting different limits at once both win.
 */
@Entity
@DynamicUpdate
@Table(name = "tenant_limits")
class TenantLimitsEntity {
  @Id
  @Column(name = "tenant_id")
  private String tenantId;

  @Column(name = "max_concurrent_invocations")
  private @Nullable Integer maxConcurrentInvocations;

  @Column(name = "max_inputs_per_job")
  private @Nullable Integer maxInputsPerJob;

  @Column(name = "max_input_bytes")
  private @Nullable Integer maxInputBytes;

  @Column(name = "max_request_bytes")
  private @Nullable Integer maxRequestBytes;

  @Column(name = "max_jobs_in_flight")
  private @Nullable Integer maxJobsInFlight;

  @Column(name = "requests_per_second")
  private @Nullable Integer requestsPerSecond;

  @Column(name = "max_storage_mib")
  private @Nullable Integer maxStorageMib;

  @Column(name = "max_storage_objects")
  private @Nullable Integer maxStorageObjects;

  @UpdateTimestamp
  @Column(name = "updated_at")
  private Instant updatedAt;

  protected TenantLimitsEntity() {
    this.tenantId = "";
    this.updatedAt = Instant.EPOCH;
  }

  /** Sets one override by its API name (a key of {@link LimitsService#NAMES}). */
  void set(String limit, @Nullable Integer value) {
    switch (limit) {
      case "maxConcurrentInvocations" -> maxConcurrentInvocations = value;
      case "maxInputsPerJob" -> maxInputsPerJob = value;
      case "maxInputBytes" -> maxInputBytes = value;
      case "maxRequestBytes" -> maxRequestBytes = value;
      case "maxJobsInFlight" -> maxJobsInFlight = value;
      case "requestsPerSecond" -> requestsPerSecond = value;
      case "maxStorageMib" -> maxStorageMib = value;
      case "maxStorageObjects" -> maxStorageObjects = value;
      default -> throw new IllegalArgumentException("unknown limit " + limit);
    }
  }

  /** These overrides over {@code d}. */
  TenantLimits over(TenantLimits d) {
    return new TenantLimits(
        or(maxConcurrentInvocations, d.maxConcurrentInvocations()),
        or(maxInputsPerJob, d.maxInputsPerJob()),
        or(maxInputBytes, d.maxInputBytes()),
        or(maxRequestBytes, d.maxRequestBytes()),
        or(maxJobsInFlight, d.maxJobsInFlight()),
        or(requestsPerSecond, d.requestsPerSecond()),
        or(maxStorageMib, d.maxStorageMib()),
        or(maxStorageObjects, d.maxStorageObjects()));
  }

  private static int or(@Nullable Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
