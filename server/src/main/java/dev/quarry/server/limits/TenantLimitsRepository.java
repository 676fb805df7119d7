package dev.quarry.server.limits;

import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Per-tenant limit overrides, one row per tenant at most. */
interface TenantLimitsRepository extends Repository<TenantLimitsEntity, String> {

  Optional<TenantLimitsEntity> findById(String tenantId);

  /** Makes sure the tenant has a row (all defaults) to set overrides on. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value = "insert into tenant_limits (tenant_id) values (:tenantId) on conflict do nothing",
      nativeQuery = true)
  int insertIfAbsent(@Param("tenantId") String tenantId);
}
