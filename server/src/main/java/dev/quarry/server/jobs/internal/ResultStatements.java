package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Pages of finished tasks, over the index of finished rows. */
final class ResultStatements {
  private static final String COLUMNS =
      "select idx, state, attempt, result_key, error_type, error_message, function_error,"
          + " finish_seq, duration_ms, cold_start, billed_ms, memory_used_mb, memory_size_mb,"
          + " started_at, finished_at, worker_id"
          + " from tasks where job_id = ?";

  private final JdbcClient jdbc;

  ResultStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<FinishedTask> afterSeq(UUID job, long seq, int limit) {
    return jdbc.sql(COLUMNS + " and finish_seq > ? order by finish_seq limit ?")
        .params(job, seq, limit)
        .query(ResultStatements::map)
        .list();
  }

  List<FinishedTask> fromIndex(UUID job, int index, int limit) {
    return jdbc.sql(COLUMNS + " and idx >= ? and finish_seq is not null order by idx limit ?")
        .params(job, index, limit)
        .query(ResultStatements::map)
        .list();
  }

  Optional<String> logKey(UUID job, int index) {
    return jdbc.sql(
            "select log_key from tasks where job_id = ? and idx = ? and log_key is not null")
        .params(job, index)
        .query(String.class)
        .optional();
  }

  static FinishedTask map(ResultSet rs, int n) throws SQLException {
    return new FinishedTask(
        rs.getInt("idx"),
        TaskState.valueOf(rs.getString("state")),
        rs.getInt("attempt"),
        rs.getString("result_key"),
        rs.getString("error_type"),
        rs.getString("error_message"),
        rs.getBoolean("function_error"),
        rs.getLong("finish_seq"),
        rs.getInt("duration_ms"),
        rs.getBoolean("cold_start"),
        rs.getInt("billed_ms"),
        rs.getInt("memory_used_mb"),
        rs.getInt("memory_size_mb"),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")),
        rs.getString("worker_id"));
  }

  private static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
