package dev.quarry.server.storage.internal;

import dev.quarry.server.storage.StoredObject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * All SQL of the Storage API: the index of visible objects ({@code storage_objects}) and the bytes
 * reserved by puts in progress ({@code storage_uploads}). Callers run the multi-statement steps in
 * one transaction.
 */
@Repository
class StorageIndex {
  /**
   * Reservations older than this are from a replica that died mid-put and no longer count; a
   * multipart upload lives as long, so its reservation counts while it can still complete.
   */
  static final Duration STALE_UPLOAD = dev.quarry.server.storage.MultipartUploads.MAX_AGE;

  private final JdbcClient jdbc;

  StorageIndex(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A visible object and the id of the blob holding its bytes. */
  record Entry(StoredObject object, UUID blobId) {}

  /** What a tenant holds and has reserved. */
  record Usage(long bytes, long objects) {}

  /** Serialises quota checks of one tenant until the transaction ends. */
  void lockTenant(String tenant) {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended('quarry.storage:' || ?, 0))")
        .param(tenant)
        .query()
        .singleRow();
  }

  Usage usage(String tenant, Instant now) {
    return jdbc.sql(
            """
            select coalesce(sum(size), 0) as bytes, count(*) as objects from (
              select size from storage_objects where tenant_id = ?
              union all
              select size from storage_uploads where tenant_id = ? and started_at > ?) u
            """)
        .params(tenant, tenant, Timestamp.from(now.minus(STALE_UPLOAD)))
        .query((rs, i) -> new Usage(rs.getLong("bytes"), rs.getLong("objects")))
        .single();
  }

  void reserve(UUID upload, String tenant, long size, Instant now) {
    jdbc.sql("insert into storage_uploads (id, tenant_id, size, started_at) values (?, ?, ?, ?)")
        .params(upload, tenant, size, Timestamp.from(now))
        .update();
  }

  void release(UUID upload) {
    jdbc.sql("delete from storage_uploads where id = ?").param(upload).update();
  }

  Optional<Entry> find(String tenant, String bucket, String key, boolean forUpdate) {
    return jdbc.sql(
            "select bucket, object_key, size, etag, updated_at, blob_id from storage_objects"
                + " where tenant_id = ? and bucket = ? and object_key = ?"
                + (forUpdate ? " for update" : ""))
        .params(tenant, bucket, key)
        .query(StorageIndex::entry)
        .optional();
  }

  void upsert(String tenant, StoredObject o, UUID blobId) {
    jdbc.sql(
            """
            insert into storage_objects
              (tenant_id, bucket, object_key, size, etag, blob_id, updated_at)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, bucket, object_key) do update set
              size = excluded.size, etag = excluded.etag, blob_id = excluded.blob_id,
              updated_at = excluded.updated_at
            """)
        .params(
            tenant, o.bucket(), o.key(), o.size(), o.etag(), blobId, Timestamp.from(o.updatedAt()))
        .update();
  }

  /** Up to {@code limit} objects with the prefix, after key {@code after} (exclusive, or null). */
  List<StoredObject> page(
      String tenant, String bucket, String prefix, @Nullable String after, int limit) {
    boolean continues = after != null && after.compareTo(prefix) >= 0;
    return jdbc.sql(
            "select bucket, object_key, size, etag, updated_at, blob_id from storage_objects"
                + " where tenant_id = ? and bucket = ? and starts_with(object_key, ?)"
                + (continues ? " and object_key > ?" : " and object_key >= ?")
                + " order by object_key limit ?")
        .params(tenant, bucket, prefix, continues ? after : prefix, limit)
        .query((rs, i) -> entry(rs, i).object())
        .list();
  }

  /** Removes the rows; returns the blobs they pointed to. */
  List<UUID> delete(String tenant, String bucket, List<String> keys) {
    return jdbc.sql(
            "delete from storage_objects where tenant_id = ? and bucket = ?"
                + " and object_key = any(?) returning blob_id")
        .params(tenant, bucket, keys.toArray(String[]::new))
        .query((rs, i) -> rs.getObject("blob_id", UUID.class))
        .list();
  }

  private static Entry entry(ResultSet rs, int row) throws SQLException {
    return new Entry(
        new StoredObject(
            rs.getString("bucket"),
            rs.getString("object_key"),
            rs.getLong("size"),
            rs.getString("etag"),
            rs.getTimestamp("updated_at").toInstant()),
        rs.getObject("blob_id", UUID.class));
  }
}
