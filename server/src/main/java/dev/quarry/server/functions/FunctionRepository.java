package dev.quarry.server.functions;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Registered functions; every query is scoped by tenant. */
interface FunctionRepository extends Repository<FunctionEntity, UUID> {

  Optional<FunctionEntity> findByTenantIdAndId(String tenantId, UUID id);

  Optional<FunctionEntity> findByTenantIdAndName(String tenantId, String name);

  @Query(
      "select f from FunctionEntity f where f.tenantId = :tenantId and f.bundleDigest = :bundle"
          + " and f.name is null")
  Optional<FunctionEntity> findAnonymous(
      @Param("tenantId") String tenantId, @Param("bundle") String bundleDigest);

  @Query(
      "select f from FunctionEntity f where f.tenantId = :tenantId and f.name is not null"
          + " order by f.name")
  List<FunctionEntity> findNamed(@Param("tenantId") String tenantId);

  /** Registers a named jar-entry function, replacing one of the same name (its id is kept). */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          "insert into functions (tenant_id, id, name, kind, codec, entry_class, jar_digests,"
              + " bundle_digest) values (:tenantId, :id, :name, 'JAR_ENTRY', 'JSON', :entryClass,"
              + " :jars, :bundle)"
              + " on conflict (tenant_id, name) where name is not null do update set"
              + " entry_class = excluded.entry_class, jar_digests = excluded.jar_digests,"
              + " bundle_digest = excluded.bundle_digest, kind = excluded.kind,"
              + " codec = excluded.codec, created_at = now()",
      nativeQuery = true)
  int upsertJarEntry(
      @Param("tenantId") String tenantId,
      @Param("id") UUID id,
      @Param("name") String name,
      @Param("entryClass") String entryClass,
      @Param("jars") String[] jarDigests,
      @Param("bundle") String bundleDigest);

  /** Registers an anonymous serialized function unless one with the same bundle exists. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          "insert into functions (tenant_id, id, kind, codec, payload_digest, jar_digests,"
              + " bundle_digest) values (:tenantId, :id, 'SERIALIZED', 'JAVA', :payload, :jars,"
              + " :bundle) on conflict (tenant_id, bundle_digest) where name is null do nothing",
      nativeQuery = true)
  int insertSerialized(
      @Param("tenantId") String tenantId,
      @Param("id") UUID id,
      @Param("payload") String payloadDigest,
      @Param("jars") String[] jarDigests,
      @Param("bundle") String bundleDigest);
}
