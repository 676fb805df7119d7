package dev.quarry.server.credentials;

import dev.quarry.server.db.TenantScopedName;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Backend profiles; every query is scoped by tenant. */
interface ProfileRepository extends Repository<ProfileEntity, TenantScopedName> {

  Optional<ProfileEntity> findById(TenantScopedName id);

  @Query("select p from ProfileEntity p where p.id.tenantId = :tenantId order by p.id.name")
  List<ProfileEntity> findByTenant(@Param("tenantId") String tenantId);

  /** The names of a tenant's profiles that use the credential set {@code credential}. */
  @Query(
      "select p.id.name from ProfileEntity p"
          + " where p.id.tenantId = :tenantId and p.credentialName = :credential")
  List<String> findNamesUsing(
      @Param("tenantId") String tenantId, @Param("credential") String credential);

  /** Writes a whole profile ({@code settings} is JSON text), replacing one of the same name. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          "insert into backend_profiles (tenant_id, name, backend, settings, credential_name)"
              + " values (:tenantId, :name, :backend, cast(:settings as jsonb), cast(:credential as text))"
              + " on conflict (tenant_id, name) do update set backend = excluded.backend,"
              + " settings = excluded.settings, credential_name = excluded.credential_name,"
              + " updated_at = now()",
      nativeQuery = true)
  int upsert(
      @Param("tenantId") String tenantId,
      @Param("name") String name,
      @Param("backend") String backend,
      @Param("settings") String settings,
      @Param("credential") @Nullable String credential);

  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query("delete from ProfileEntity p where p.id = :id")
  int delete(@Param("id") TenantScopedName id);
}
