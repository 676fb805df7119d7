package dev.quarry.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * The queries API keys and worker tokens share; every query but the prefix lookup of authentication
 * is scoped by tenant.
 */
@NoRepositoryBean
public interface HashedSecretRepository<E extends HashedSecretEntity> extends Repository<E, UUID> {

  E save(E row);

  List<E> findByTenantIdOrderByCreatedAt(String tenantId);

  Optional<E> findByTenantIdAndId(String tenantId, UUID id);

  /** The unrevoked row with this prefix, if its tenant is not disabled. */
  @Query(
      "select k from #{#entityName} k where k.prefix = :prefix and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  Optional<E> findUsable(@Param("prefix") String prefix);

  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query("update #{#entityName} k set k.lastUsedAt = current_timestamp where k.id = :id")
  int touch(@Param("id") UUID id);

  /** Revokes a row (keeping the first time); returns 0 for a row of another tenant or none. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      "update #{#entityName} k set k.revokedAt = coalesce(k.revokedAt, current_timestamp)"
          + " where k.tenantId = :tenantId and k.id = :id")
  int revoke(@Param("tenantId") String tenantId, @Param("id") UUID id);
}
