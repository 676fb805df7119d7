package dev.quarry.server.workers;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Worker tokens; every query but the prefix lookup of authentication is scoped by tenant. */
interface WorkerTokenRepository extends Repository<WorkerTokenEntity, UUID> {

  WorkerTokenEntity save(WorkerTokenEntity token);

  List<WorkerTokenEntity> findByTenantIdOrderByCreatedAt(String tenantId);

  Optional<WorkerTokenEntity> findByTenantIdAndId(String tenantId, UUID id);

  /** The unrevoked token with this prefix, if its tenant is not disabled. */
  @Query(
      "select k from WorkerTokenEntity k where k.prefix = :prefix and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  Optional<WorkerTokenEntity> findUsable(@Param("prefix") String prefix);

  /** Of {@code ids}, those still unrevoked with their tenant not disabled. */
  @Query(
      "select k.id from WorkerTokenEntity k where k.id in :ids and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  List<UUID> findUsableIds(@Param("ids") Collection<UUID> ids);

  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query("update WorkerTokenEntity k set k.lastUsedAt = current_timestamp where k.id = :id")
  int touch(@Param("id") UUID id);

  /** Revokes a token (keeping the first time); returns 0 for a token of another tenant or none. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      "update WorkerTokenEntity k set k.revokedAt = coalesce(k.revokedAt, current_timestamp)"
          + " where k.tenantId = :tenantId and k.id = :id")
  int revoke(@Param("tenantId") String tenantId, @Param("id") UUID id);
}
