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
      UUID id, String tenant, String bucket, String key, long size, String state, Instant started) {
    boolean open() {
      return state.equals("open");
    }
  }

  /** A stored part. */
  record Part(int number, long size, byte[] md5, UUID blobId) {}

  void insert(Row r) {
    jdbc.sql(
            """
            insert into storage_multipart_uploads
              (id, tenant_id, bucket, object_key, size, state, started_at)
            values (?, ?, ?, ?, ?, ?, ?)
            """)
        .params(r.id(), r.tenant(), r.bucket(), r.key(), r.size(), r.state(), ts(r.started()))
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
            "select id, tenant_id, bucket, object_key, size, state, started_at"
                + " from storage_multipart_uploads"
                + " where id = ? and tenant_id = ? and started_at > ?"
                + (forUpdate ? " for update" : ""))
        .params(id, tenant, ts(since))
        .query(
            (rs, i) ->
                new Row(
                    rs.getObject("id", UUID.class),
                    rs.getString("tenant_id"),
                    rs.getString("bucket"),
                    rs.getString("object_key"),
                    rs.getLong("size"),
                    rs.getString("state"),
                    rs.getTimestamp("started_at").toInstant()))
        .optional();
  }

  void setState(UUID id, String state) {
    jdbc.sql("update storage_multipart_uploads set state = ? where id = ?")
        .params(state, id)
        .update();
  }

  List<Part> parts(UUID upload) {
    return jdbc.sql(
            "select part_number, size, md5, blob_id from storage_upload_parts"
                + " where upload_id = ? order by part_number")
        .param(upload)
        .query(
            (rs, i) ->
                new Part(
                    rs.getInt("part_number"),
                    rs.getLong("size"),
                    rs.getBytes("md5"),
                    rs.getObject("blob_id", UUID.class)))
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

  /** Deletes the upload and its parts. */
  void delete(UUID id) {
    jdbc.sql("delete from storage_multipart_uploads where id = ?").param(id).update();
  }

  /** Up to {@code limit} uploads started at or before {@code cutoff}, oldest first. */
  List<Row> stale(Instant cutoff, int limit) {
    return jdbc.sql(
            "select id, tenant_id, bucket, object_key, size, state, started_at"
                + " from storage_multipart_uploads where started_at <= ?"
                + " order by started_at limit ? for update skip locked")
        .params(ts(cutoff), limit)
        .query(
            (rs, i) ->
                new Row(
                    rs.getObject("id", UUID.class),
                    rs.getString("tenant_id"),
                    rs.getString("bucket"),
                    rs.getString("object_key"),
                    rs.getLong("size"),
                    rs.getString("state"),
                    rs.getTimestamp("started_at").toInstant()))
        .list();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }
}
