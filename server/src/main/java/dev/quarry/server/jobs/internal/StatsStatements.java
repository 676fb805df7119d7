package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.FutureStats;
import dev.quarry.server.jobs.JobTotals;
import dev.quarry.server.jobs.TaskCounts;
import dev.quarry.server.jobs.TaskState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-future statistics and a job's totals. Percentiles are computed by PostgreSQL ({@code
 * percentile_cont}) in one statement; no task rows travel to Java.
 */
final class StatsStatements {
  // became runnable: its retry (queued_at) or its job's submission
  private static final String QUEUE_MS =
      "greatest(0, extract(epoch from (t.started_at - coalesce(t.queued_at, j.created_at)))"
          + " * 1000)";

  private static final String FUTURE =
      "select t.idx, t.state, t.attempt, t.started_at, t.finished_at, t.worker_id,"
          + " coalesce(t.cold_start, false) as cold_start, coalesce(t.duration_ms, 0) as duration_ms,"
          + " coalesce(t.cpu_ms, 0) as cpu_ms,"
          + " coalesce(t.peak_memory_bytes, 0) as peak_memory_bytes,"
          + " coalesce(t.bytes_read, 0) as bytes_read, coalesce(t.bytes_written, 0) as bytes_written,"
          + " coalesce(t.billed_ms, 0) as billed_ms, coalesce(t.memory_used_mb, 0) as memory_used_mb,"
          + " coalesce(t.memory_size_mb, 0) as memory_size_mb,"
          + " coalesce(("
          + QUEUE_MS
          + ")::bigint, 0) as queue_ms"
          + " from tasks t join jobs j on j.id = t.job_id"
          + " where t.tenant_id = ? and t.job_id = ? and t.idx = ?";

  private static String distribution(String name, String expr) {
    return " coalesce(sum("
        + expr
        + "), 0)::bigint as "
        + name
        + "_total,"
        + " coalesce(avg("
        + expr
        + "), 0)::float8 as "
        + name
        + "_mean,"
        + " percentile_cont(array[0.5, 0.95, 0.99]) within group (order by "
        + expr
        + ") as "
        + name
        + "_p,"
        + " coalesce(max("
        + expr
        + "), 0)::bigint as "
        + name
        + "_max,";
  }

  // Tasks claimed together share their chunk and started_at (the claim's transaction time): one
  // invocation, billed once whatever the number of its tasks.
  private static final String SUMMARY =
      "select count(*) as total,"
          + " count(*) filter (where t.state = 'PENDING') as pending,"
          + " count(*) filter (where t.state = 'RUNNING') as running,"
          + " count(*) filter (where t.state = 'SUCCEEDED') as succeeded,"
          + " count(*) filter (where t.state = 'FAILED') as failed,"
          + " count(*) filter (where t.state = 'CANCELLED') as cancelled,"
          + " count(t.started_at) as started,"
          + " count(*) filter (where t.cold_start) as cold_starts,"
          + " coalesce(sum(t.attempt), 0) as attempts,"
          + distribution("duration", "t.duration_ms")
          + distribution("queue", QUEUE_MS)
          + " coalesce(sum(t.cpu_ms), 0) as cpu_ms,"
          + " coalesce(sum(t.bytes_read), 0) as bytes_read,"
          + " coalesce(sum(t.bytes_written), 0) as bytes_written,"
          + " coalesce(max(t.peak_memory_bytes), 0) as peak_memory_bytes,"
          + " (select coalesce(sum(i.billed_ms::float8 * i.memory_size_mb / 1024 / 1000), 0)"
          + " from (select distinct chunk, started_at, billed_ms, memory_size_mb from tasks"
          + " where job_id = ? and billed_ms is not null and memory_size_mb is not null) i)"
          + " as gb_seconds,"
          + " (select count(*) from (select distinct chunk, started_at from tasks"
          + " where job_id = ? and billed_ms is not null) i) as invocations"
          + " from tasks t join jobs j on j.id = t.job_id"
          + " where t.tenant_id = ? and t.job_id = ?";

  private final JdbcClient jdbc;

  StatsStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<FutureStats> future(String tenant, UUID job, int index) {
    return jdbc.sql(FUTURE).params(tenant, job, index).query(StatsStatements::future).optional();
  }

  JobTotals totals(String tenant, UUID job) {
    return jdbc.sql(SUMMARY).params(job, job, tenant, job).query(StatsStatements::totals).single();
  }

  private static FutureStats future(ResultSet rs, int n) throws SQLException {
    return new FutureStats(
        rs.getInt("idx"),
        TaskState.valueOf(rs.getString("state")),
        rs.getInt("attempt"),
        rs.getLong("queue_ms"),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")),
        rs.getLong("duration_ms"),
        rs.getString("worker_id"),
        rs.getBoolean("cold_start"),
        rs.getLong("cpu_ms"),
        rs.getLong("peak_memory_bytes"),
        rs.getLong("bytes_read"),
        rs.getLong("bytes_written"),
        rs.getLong("billed_ms"),
        rs.getInt("memory_used_mb"),
        rs.getInt("memory_size_mb"));
  }

  private static JobTotals totals(ResultSet rs, int n) throws SQLException {
    return new JobTotals(
        new TaskCounts(
            rs.getInt("total"),
            rs.getInt("pending"),
            rs.getInt("running"),
            rs.getInt("succeeded"),
            rs.getInt("failed"),
            rs.getInt("cancelled")),
        rs.getInt("started"),
        rs.getInt("cold_starts"),
        rs.getLong("attempts"),
        distribution(rs, "duration"),
        distribution(rs, "queue"),
        rs.getLong("cpu_ms"),
        rs.getLong("bytes_read"),
        rs.getLong("bytes_written"),
        rs.getLong("peak_memory_bytes"),
        rs.getDouble("gb_seconds"),
        rs.getLong("invocations"));
  }

  private static JobTotals.Distribution distribution(ResultSet rs, String name)
      throws SQLException {
    double[] p = new double[3];
    Array a = rs.getArray(name + "_p");
    if (a != null) {
      Object[] values = (Object[]) a.getArray();
      for (int i = 0; i < p.length && i < values.length; i++) {
        p[i] = values[i] instanceof Number v ? v.doubleValue() : 0;
      }
    }
    return new JobTotals.Distribution(
        rs.getLong(name + "_total"),
        rs.getDouble(name + "_mean"),
        p[0],
        p[1],
        p[2],
        rs.getLong(name + "_max"));
  }

  private static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
