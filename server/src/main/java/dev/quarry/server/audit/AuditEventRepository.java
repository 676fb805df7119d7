package dev.quarry.server.audit;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

/** Audit events, always read for one tenant. */
interface AuditEventRepository extends Repository<AuditEventEntity, Long> {

  AuditEventEntity save(AuditEventEntity event);

  List<AuditEventEntity> findByTenantIdOrderByIdDesc(String tenantId, Limit limit);
}
