package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import dev.quarry.server.jobs.TaskStore.JobPage;
import dev.quarry.server.jobs.TaskStore.JobQuery;
import dev.quarry.server.jobs.TaskStore.Overview;
import dev.quarry.server.jobs.TaskStore.Queue;
import dev.quarry.server.jobs.TaskStore.Span;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's reads: filtered pages of jobs (keyset on {@code seq}, index {@code
 * jobs_by_tenant_seq}), pages of a job's tasks in input order (primary key), and a downsample of
 * their runs for the charts. Each filters on the tenant.
 */
final class DashboardStatements {
  private static final String TASK_COLUMNS =
      "select idx, state, attempt, result_key, error_type, error_message,"
          + " coalesce(function_error, false) as function_error,"
          + " coalesce(finish_seq, 0) as finish_seq, coalesce(duration_ms, 0) as duration_ms,"
          + " coalesce(cold_start, false) as cold_start, coalesce(billed_ms, 0) as billed_ms,"
          + " coalesce(memory_used_mb, 0) as memory_used_mb,"
          + " coalesce(memory_size_mb, 0) as memory_size_mb, started_at, finished_at, worker_id"
          + " from tasks where tenant_id = ? and job_id = ? and idx >= ?";

  private final JdbcClient jdbc;

  DashboardStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  JobPage page(String tenant, JobQuery q, int limit) {
    StringBuilder sql = new StringBuilder("select * from jobs where tenant_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(tenant);
    if (q.beforeSeq() != null) {
      sql.append(" and seq < ?");
      params.add(q.beforeSeq());
    }
    if (q.state() != null) {
      sql.append(" and state = ?");
      params.add(q.state().name());
    }
    if (q.function() != null && !q.function().isEmpty()) {
      sql.append(" and function_name = ?");
      params.add(q.function());
    }
    if (q.profile() != null && !q.profile().isEmpty()) {
      sql.append(" and profile_name = ?");
      params.add(q.profile());
    }
    if (q.label() != null && !q.label().isEmpty()) {
      sql.append(" and strpos(label, ?) > 0");
      params.add(q.label());
    }
    if (q.createdAfter() != null) {
      sql.append(" and created_at > ?");
      params.add(Timestamp.from(q.createdAfter()));
    }
    sql.append(" order by seq desc limit ?");
    params.add(limit + 1);
    List<JobRecord> jobs = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    jdbc.sql(sql.toString())
        .params(params)
        .query(
            rs -> {
              jobs.add(JobStatements.map(rs));
              seqs.add(rs.getLong("seq"));
            });
    if (jobs.size() <= limit) {
      return new JobPage(jobs, seqs, null);
    }
    return new JobPage(
        List.copyOf(jobs.subList(0, limit)),
        List.copyOf(seqs.subList(0, limit)),
        seqs.get(limit - 1));
  }

  List<FinishedTask> tasks(String tenant, UUID job, int fromIndex, boolean failedOnly, int limit) {
    if (failedOnly) { // the partial index tasks_failed holds only failed ones
      return jdbc.sql(TASK_COLUMNS + " and state = 'FAILED' order by idx limit ?")
          .params(tenant, job, fromIndex, limit)
          .query(ResultStatements::map)
          .list();
    }
    // A job's tasks are its inputs' indexes 0 to total - 1, all kept: the page is a range. Bounded,
    // the scan reads the page's rows only; open-ended, PostgreSQL (which has no statistics for a
    // job just submitted) read and sorted all of the job's rows for a page of 51.
    return jdbc.sql(TASK_COLUMNS + " and idx < ? order by idx limit ?")
        .params(tenant, job, fromIndex, (long) fromIndex + limit, limit)
        .query(ResultStatements::map)
        .list();
  }

  Overview overview(String tenant) {
    Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
    jdbc.sql("select state, count(*) from jobs where tenant_id = ? group by state")
        .param(tenant)
        .query(
            rs -> {
              jobs.put(JobState.valueOf(rs.getString(1)), rs.getLong(2));
            });
    // the running jobs' counters (partial index jobs_running), not their tasks
    List<Queue> queues =
        jdbc.sql(
                "select coalesce(profile_name, '') as profile, sum(pending), sum(running)"
                    + " from jobs where tenant_id = ? and state = 'RUNNING'"
                    + " group by 1 order by 1")
            .param(tenant)
            .query((rs, n) -> new Queue(rs.getString(1), rs.getLong(2), rs.getLong(3)))
            .list();
    // the rollup the counters' trigger keeps (V17), 10-second buckets: "the last minute" is the
    // buckets that began within it plus the one it began in (60 to 70 s)
    long[] ended = new long[2];
    jdbc.sql(
            "select coalesce(sum(n) filter (where bucket > now() - interval '70 seconds'), 0),"
                + " coalesce(sum(n), 0) from task_ends"
                + " where tenant_id = ? and bucket > now() - interval '1 hour'")
        .param(tenant)
        .query(
            rs -> {
              ended[0] = rs.getLong(1);
              ended[1] = rs.getLong(2);
            });
    return new Overview(jobs, queues, ended[0], ended[1]);
  }

  /** Deletes the rollup's buckets older than an hour; returns how many. */
  int forgetEnds() {
    return jdbc.sql("delete from task_ends where bucket < now() - interval '1 hour'").update();
  }

  List<Span> spans(String tenant, UUID job, int step, int limit) {
    return jdbc.sql(
            "select idx, state, started_at, finished_at from tasks"
                + " where tenant_id = ? and job_id = ? and idx % ? = 0 and started_at is not null"
                + " order by idx limit ?")
        .params(tenant, job, Math.max(1, step), limit)
        .query(
            (rs, n) -> {
              Timestamp end = rs.getTimestamp("finished_at");
              return new Span(
                  rs.getInt("idx"),
                  TaskState.valueOf(rs.getString("state")),
                  rs.getTimestamp("started_at").toInstant().toEpochMilli(),
                  end == null ? 0 : end.toInstant().toEpochMilli());
            })
        .list();
  }
}
