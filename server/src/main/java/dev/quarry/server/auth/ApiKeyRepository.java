package dev.quarry.server.auth;

import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** API keys; every query but the prefix lookup of authentication is scoped by tenant. */
interface ApiKeyRepository extends HashedSecretRepository<ApiKeyEntity> {

  /** 1 when the key is unrevoked and its tenant not disabled, else 0. */
  @Query(
      "select count(k) from ApiKeyEntity k where k.id = :id and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  long countUsable(@Param("id") UUID id);
}
