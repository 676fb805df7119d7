package dev.quarry.server.functions;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Uploaded blobs; every query is scoped by tenant. */
interface BlobRepository extends Repository<BlobEntity, BlobEntity.Key> {

  /** The digests among {@code digests} that the tenant has uploaded. */
  @Query(
      "select b.id.digest from BlobEntity b where b.id.tenantId = :tenantId"
          + " and b.id.digest in :digests")
  List<String> findPresent(
      @Param("tenantId") String tenantId, @Param("digests") Collection<String> digests);

  /** Records an upload; uploading the same content twice is not an error. */
  @Transactional
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          "insert into blobs (tenant_id, digest, size) values (:tenantId, :digest, :size)"
              + " on conflict do nothing",
      nativeQuery = true)
  int insertIfAbsent(
      @Param("tenantId") String tenantId, @Param("digest") String digest, @Param("size") long size);
}
