package dev.quarry.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** API keys; every query but the prefix lookup of authentication is scoped by tenant. */
interface ApiKeyRepository extends Repository<ApiKeyEntity, UUID> {

  ApiKeyEntity save(ApiKeyEntity key);

  List<ApiKeyEntity> findByTenantIdOrderByCreatedAt(String tenantId);

  Optional<ApiKeyEntity> findByTenantIdAndId(String tenantId, UUID id);

  /** The unrevoked key with this prefix, if its tenant is not disabled. */
  @Query(
      "select k from ApiKeyEntity k where k.prefix = :prefix and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  Optional<ApiKeyEntity> findUsable(@Param("prefix") String prefix);

  /** 1 when the key is unrevoked and its tenant not disabled, else 0. */
  @Query(
      "select count(k) from ApiKeyEntity k where k.id = :id and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  long countUsable(@Param("id") UUID id);

  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query("update ApiKeyEntity k set k.lastUsedAt = current_timestamp where k.id = :id")
  int touch(@Param("id") UUID id);

  /** Revokes a key (keeping the first time); returns 0 for a key of another tenant or none. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      "update ApiKeyEntity k set k.revokedAt = coalesce(k.revokedAt, current_timestamp)"
          + " where k.tenantId = :tenantId and k.id = :id")
  int revoke(@Param("tenantId") String tenantId, @Param("id") UUID id);
}
