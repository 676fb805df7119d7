package dev.quarry.server.tenancy;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Tenants; the operator's table, so not scoped by tenant. */
interface TenantRepository extends Repository<TenantEntity, String> {

  Optional<TenantEntity> findById(String id);

  boolean existsById(String id);

  List<TenantEntity> findAllByOrderById();

  /** Inserts a tenant unless its id is taken; returns 1 if inserted, else 0. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value = "insert into tenants (id, name) values (:id, :name) on conflict do nothing",
      nativeQuery = true)
  int insertIfAbsent(@Param("id") String id, @Param("name") String name);

  /** Disables a tenant (keeping the first time); returns 0 for an unknown tenant. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      "update TenantEntity t set t.disabledAt = coalesce(t.disabledAt, current_timestamp)"
          + " where t.id = :id")
  int disable(@Param("id") String id);
}
