package dev.quarry.server.credentials;

import dev.quarry.server.db.TenantScopedName;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Credential sets. Every query is scoped by tenant, except the master-key rotation's, which reseals
 * every tenant's sets and binds each to its own (tenant, name).
 */
interface CredentialRepository extends Repository<CredentialEntity, TenantScopedName> {

  Optional<CredentialEntity> findById(TenantScopedName id);

  @Query("select c from CredentialEntity c where c.id.tenantId = :tenantId order by c.id.name")
  List<CredentialEntity> findByTenant(@Param("tenantId") String tenantId);

  @Query("select c.kind from CredentialEntity c where c.id = :id")
  Optional<String> findKind(@Param("id") TenantScopedName id);

  /** Sets sealed under another master key than {@code keyId}, to be resealed. */
  @Query("select c from CredentialEntity c where c.keyId <> :keyId")
  List<CredentialEntity> findSealedUnderOtherKey(@Param("keyId") String keyId);

  /** Writes a whole credential set, replacing one of the same name. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          "insert into credentials (tenant_id, name, kind, key_id, sealed)"
              + " values (:tenantId, :name, :kind, :keyId, :sealed)"
              + " on conflict (tenant_id, name) do update set kind = excluded.kind,"
              + " key_id = excluded.key_id, sealed = excluded.sealed, updated_at = now()",
      nativeQuery = true)
  int upsert(
      @Param("tenantId") String tenantId,
      @Param("name") String name,
      @Param("kind") String kind,
      @Param("keyId") String keyId,
      @Param("sealed") byte[] sealed);

  /** Replaces a set's sealed bytes unless another rotation already did. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      "update CredentialEntity c set c.keyId = :newKeyId, c.sealed = :sealed"
          + " where c.id = :id and c.keyId = :oldKeyId")
  int reseal(
      @Param("id") TenantScopedName id,
      @Param("oldKeyId") String oldKeyId,
      @Param("newKeyId") String newKeyId,
      @Param("sealed") byte[] sealed);

  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query("delete from CredentialEntity c where c.id = :id")
  int delete(@Param("id") TenantScopedName id);
}
