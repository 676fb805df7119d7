package dev.quarry.server.storage.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * All SQL of multipart uploads ({@code storage_multipart_uploads}, {@code storage_upload_parts}).
 * Callers run the multi-statement steps in one transaction.
 */
@Repository
class MultipartIndex {
  private final JdbcClient jdbc;

  MultipartIndex(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An upload row. */
  record Row(
      UUID id,
      String tenant,
      String bucket,
      String key,
      long size,
      long partSize,
      boolean staged,
      String state,
      Instant started) {
    boolean open() {
      return state.equals("open");
    }
  }

  /** A stored part; {@code pending} while a staged part's bytes are being written. */
  record Part(int number, long size, byte[] md5, UUID blobId, boolean pending) {}

  void insert(Row r) {
    jdbc.sql(
            """
            insert into storage_multipart_uploads
              (id, tenant_id, bucket, object_key, size, part_size, staged, state, started_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            r.id(),
            r.tenant(),
            r.bucket(),
            r.key(),
            r.size(),
            r.partSize() > 0 ? r.partSize() : null,
            r.staged(),
            r.state(),
            ts(r.started()))
        .update();
  }

  /** Uploads of the tenant started after {@code since}. */
  int countLive(String tenant, Instant since) {
    return jdbc.sql(
            "select count(*) from storage_multipart_uploads where tenant_id = ? and started_at > ?")
        .params(tenant, ts(since))
        .query(Integer.class)
        .single();
  }

  /** The tenant's upload started after {@code since}; locked until the transaction ends. */
  Optional<Row> find(UUID id, String tenant, Instant since, boolean forUpdate) {
    return jdbc.sql(
            "select id, tenant_id, bucket, object_key, size, part_size, staged, state, started_at"
                + " from storage_multipart_uploads"
                + " where id = ? and tenant_id = ? and started_at > ?"
                + (forUpdate ? " for update" : ""))
        .params(id, tenant, ts(since))
        .query((rs, i) -> row(rs))
        .optional();
  }

  void setState(UUID id, String state) {
    jdbc.sql("update storage_multipart_uploads set state = ? where id = ?")
        .params(state, id)
        .update();
  }

  List<Part> parts(UUID upload) {
    return jdbc.sql(
            "select part_number, size, md5, blob_id, pending from storage_upload_parts"
                + " where upload_id = ? order by part_number")
        .param(upload)
        .query(
            (rs, i) ->
                new Part(
                    rs.getInt("part_number"),
                    rs.getLong("size"),
                    rs.getBytes("md5"),
                    rs.getObject("blob_id", UUID.class),
                    rs.getBoolean("pending")))
        .list();
  }

  /** Records the part; returns the blob of the part it replaced, if any. */
  Optional<UUID> putPart(UUID upload, Part p) {
    Optional<UUID> old =
        jdbc.sql("select blob_id from storage_upload_parts where upload_id = ? and part_number = ?")
            .params(upload, p.number())
            .query(UUID.class)
            .optional();
    jdbc.sql(
            """
            insert into storage_upload_parts (upload_id, part_number, size, md5, blob_id)
            values (?, ?, ?, ?, ?)
            on conflict (upload_id, part_number) do update set
              size = excluded.size, md5 = excluded.md5, blob_id = excluded.blob_id
            """)
        .params(upload, p.number(), p.size(), p.md5(), p.blobId())
        .update();
    return old;
  }

  /**
   * Marks staged part {@code number} as being written (size and MD5 unknown yet).
   *
   * @return false if another write of it is in progress
   */
  boolean claimPart(UUID upload, int number, long size) {
    return jdbc.sql(
                """
                insert into storage_upload_parts
                  (upload_id, part_number, size, md5, blob_id, pending)
                values (?, ?, ?, ''::bytea, ?, true)
                on conflict (upload_id, part_number) do update set
                  size = excluded.size, md5 = excluded.md5, pending = true
                  where not storage_upload_parts.pending
                """)
            .params(upload, number, size, upload)
            .update()
        == 1;
  }

  /** Records the written staged part's MD5; false if it is no longer pending (the upload ended). */
  boolean finishPart(UUID upload, int number, byte[] md5) {
    return jdbc.sql(
                "update storage_upload_parts set md5 = ?, pending = false"
                    + " where upload_id = ? and part_number = ? and pending")
            .params(md5, upload, number)
            .update()
        == 1;
  }

  /** Forgets a staged part whose write failed: its range holds unknown bytes. */
  void dropPendingPart(UUID upload, int number) {
    jdbc.sql("delete from storage_upload_parts where upload_id = ? and part_number = ? and pending")
        .params(upload, number)
        .update();
  }

  /** Deletes the upload and its parts. */
  void delete(UUID id) {
    jdbc.sql("delete from storage_multipart_uploads where id = ?").param(id).update();
  }

  /** Up to {@code limit} uploads started at or before {@code cutoff}, oldest first. */
  List<Row> stale(Instant cutoff, int limit) {
    return jdbc.sql(
            "select id, tenant_id, bucket, object_key, size, part_size, staged, state, started_at"
                + " from storage_multipart_uploads where started_at <= ?"
                + " order by started_at limit ? for update skip locked")
        .params(ts(cutoff), limit)
        .query((rs, i) -> row(rs))
        .list();
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        rs.getObject("id", UUID.class),
        rs.getString("tenant_id"),
        rs.getString("bucket"),
        rs.getString("object_key"),
        rs.getLong("size"),
        rs.getLong("part_size"), // 0 when null
        rs.getBoolean("staged"),
        rs.getString("state"),
        rs.getTimestamp("started_at").toInstant());
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }
}
