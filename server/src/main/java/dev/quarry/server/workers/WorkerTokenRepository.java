package dev.quarry.server.workers;

import dev.quarry.server.auth.HashedSecretRepository;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Worker tokens; every query but the prefix lookup of authentication is scoped by tenant. */
interface WorkerTokenRepository extends HashedSecretRepository<WorkerTokenEntity> {

  /** Of {@code ids}, those still unrevoked with their tenant not disabled. */
  @Query(
      "select k.id from WorkerTokenEntity k where k.id in :ids and k.revokedAt is null and exists"
          + " (select 1 from TenantEntity t where t.id = k.tenantId and t.disabledAt is null)")
  List<UUID> findUsableIds(@Param("ids") Collection<UUID> ids);
}
