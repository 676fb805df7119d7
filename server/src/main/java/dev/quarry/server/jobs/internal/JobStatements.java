package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.jobMayBecome;
import static dev.quarry.server.jobs.internal.StateSql.jobOpen;
import static dev.quarry.server.jobs.internal.StateSql.lit;
import static dev.quarry.server.jobs.internal.StateSql.taskMayBecome;
import static dev.quarry.server.jobs.internal.StateSql.taskOpen;

import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.QueueCounts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The statements on whole jobs: reads, cancel, finishing, locking. */
final class JobStatements {
  private static final String FINISH_IF_DONE =
      "with f as (update jobs j set finished_at = now(),"
          + " message = case when j.message like 'waiting:%' then '' else j.message end,"
          + " state = case when exists (select 1 from tasks t where t.job_id = j.id and t.state = "
          + lit(TaskState.FAILED)
          + ") then "
          + lit(JobState.FAILED)
          + " else "
          + lit(JobState.SUCCEEDED)
          + " end"
          + " where j.id = any(?) and "
          + jobMayBecome("j.state", JobState.SUCCEEDED)
          + " and not exists (select 1 from tasks t where t.job_id = j.id and "
          + taskOpen("t.state")
          + ") returning j.id),"
          + " n as (select pg_notify('quarry_job', x::text) from unnest(?::uuid[]) as x)"
          + " select (select count(*) from f) + (select count(*) from n)";

  private static final String CANCEL_JOB =
      "update jobs set state = "
          + lit(JobState.CANCELLED)
          + ", finished_at = now(),"
          + " message = 'cancelled by request'"
          + " where tenant_id = ? and id = ? and "
          + jobMayBecome("state", JobState.CANCELLED);

  private static final String CANCEL_TASKS =
      "update tasks set state = "
          + lit(TaskState.CANCELLED)
          + ", finished_at = now(),"
          + " finish_seq = nextval('finish_seq'), lease_owner = null,"
          + " error_type = 'java.util.concurrent.CancellationException',"
          + " error_message = 'job cancelled', function_error = false"
          + " where job_id = ? and "
          + taskMayBecome("state", TaskState.CANCELLED);

  private static final String QUEUE_COUNTS =
      "select (select count(*) from jobs where "
          + jobOpen("state")
          + ") as jobs_running,"
          + " (select count(*) from tasks where state = "
          + lit(TaskState.PENDING)
          + "),"
          + " (select count(*) from tasks where state = "
          + lit(TaskState.RUNNING)
          + ")";

  private final JdbcClient jdbc;

  JobStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<JobRecord> find(String tenant, UUID id, boolean withCounts) {
    // counts after the row is read, not in the row mapper: a query nested in the mapper holds
    // two pool connections at once, and enough concurrent reads then starve the pool
    Optional<JobRecord> job =
        jdbc.sql("select * from jobs where tenant_id = ? and id = ?")
            .params(tenant, id)
            .query((rs, n) -> map(rs, Map.of()))
            .optional();
    return withCounts ? job.map(j -> withCounts(j, counts(id))) : job;
  }

  Optional<JobRecord> spec(UUID id) {
    return jdbc.sql("select * from jobs where id = ?")
        .param(id)
        .query((rs, n) -> map(rs, Map.of()))
        .optional();
  }

  /** The newest jobs with their counts: two statements, whatever the number of jobs. */
  List<JobRecord> list(String tenant, int limit) {
    List<JobRecord> jobs =
        jdbc.sql("select * from jobs where tenant_id = ? order by seq desc limit ?")
            .params(tenant, limit)
            .query((rs, n) -> map(rs, Map.of()))
            .list();
    if (jobs.isEmpty()) {
      return jobs;
    }
    Map<UUID, Map<TaskState, Integer>> counts = new HashMap<>();
    jdbc.sql(
            "select job_id, state, count(*) as n from tasks where job_id = any(?)"
                + " group by job_id, state")
        .param(jobs.stream().map(JobRecord::id).toArray(UUID[]::new))
        .query(
            rs -> {
              counts
                  .computeIfAbsent(
                      rs.getObject("job_id", UUID.class), k -> new EnumMap<>(TaskState.class))
                  .put(TaskState.valueOf(rs.getString("state")), rs.getInt("n"));
            });
    return jobs.stream().map(j -> withCounts(j, counts.getOrDefault(j.id(), Map.of()))).toList();
  }

  private static JobRecord withCounts(JobRecord j, Map<TaskState, Integer> counts) {
    return new JobRecord(
        j.tenantId(),
        j.id(),
        j.state(),
        j.function(),
        j.total(),
        j.chunkSize(),
        j.maxAttempts(),
        j.retryFunctionErrors(),
        j.timeoutMs(),
        j.label(),
        j.message(),
        j.createdAt(),
        j.finishedAt(),
        counts,
        j.profile(),
        j.requestId());
  }

  Map<TaskState, Integer> counts(UUID job) {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    jdbc.sql("select state, count(*) as n from tasks where job_id = ? group by state")
        .param(job)
        .query(
            rs -> {
              counts.put(TaskState.valueOf(rs.getString("state")), rs.getInt("n"));
            });
    return counts;
  }

  Optional<JobState> state(UUID id) {
    return jdbc.sql("select state from jobs where id = ?")
        .param(id)
        .query((rs, n) -> JobState.valueOf(rs.getString(1)))
        .optional();
  }

  long running(String tenant) {
    return jdbc.sql("select count(*) from jobs where tenant_id = ? and " + jobOpen("state"))
        .param(tenant)
        .query(Long.class)
        .single();
  }

  /** Cancels the job and its open tasks; call inside a transaction. */
  boolean cancel(String tenant, UUID id) {
    if (jdbc.sql(CANCEL_JOB).params(tenant, id).update() == 0) {
      return false;
    }
    jdbc.sql(CANCEL_TASKS).param(id).update();
    return true;
  }

  void setMessage(UUID id, String message) {
    jdbc.sql("update jobs set message = ? where id = ? and " + jobOpen("state"))
        .params(message, id)
        .update();
  }

  int setProfileMessage(String tenant, String profile, String message) {
    return jdbc.sql(
            "update jobs set message = ? where tenant_id = ? and profile_name = ? and "
                + jobOpen("state"))
        .params(message, tenant, profile)
        .update();
  }

  int openTasks(String tenant, String profile, int limit) {
    return jdbc.sql(
            "select count(*) from (select 1 from tasks t join jobs j on j.id = t.job_id"
                + " where j.tenant_id = ? and j.profile_name = ? and "
                + jobOpen("j.state")
                + " and "
                + taskOpen("t.state")
                + " limit ?) w")
        .params(tenant, profile, limit)
        .query(Integer.class)
        .single();
  }

  /**
   * Locks the rows of {@code ids} until the transaction ends, in id order so that writers locking
   * several jobs cannot deadlock. Every writer that may end a job's last task takes this lock
   * before touching its tasks, so two writers cannot each miss the other's last rows.
   */
  void lockForUpdate(Collection<UUID> ids) {
    jdbc.sql("select id from jobs where id = any(?) order by id for update")
        .param(ids.toArray(UUID[]::new))
        .query(UUID.class)
        .list();
  }

  /**
   * Finishes each running job in {@code ids} whose tasks are all terminal (FAILED if any failed)
   * and notifies every replica that the jobs changed, in one statement.
   */
  void finishIfDone(Collection<UUID> ids) {
    UUID[] array = ids.toArray(UUID[]::new);
    jdbc.sql(FINISH_IF_DONE).params(array, array).query(Long.class).single();
  }

  QueueCounts queueCounts() {
    return jdbc.sql(QUEUE_COUNTS)
        .query((rs, i) -> new QueueCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  static JobRecord map(ResultSet rs, Map<TaskState, Integer> counts) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    FunctionRef fn =
        new FunctionRef(
            rs.getObject("function_id", UUID.class),
            rs.getString("function_name"),
            rs.getString("function_kind"),
            rs.getString("codec"),
            rs.getString("entry_class"),
            rs.getString("payload_digest"),
            List.of((String[]) rs.getArray("jar_digests").getArray()),
            rs.getString("bundle_digest"));
    return new JobRecord(
        rs.getString("tenant_id"),
        rs.getObject("id", UUID.class),
        JobState.valueOf(rs.getString("state")),
        fn,
        rs.getInt("total"),
        rs.getInt("chunk_size"),
        rs.getInt("max_attempts"),
        rs.getBoolean("retry_function_errors"),
        rs.getLong("timeout_ms"),
        rs.getString("label"),
        rs.getString("message"),
        rs.getTimestamp("created_at").toInstant(),
        finished == null ? null : finished.toInstant(),
        counts,
        rs.getString("profile_name"),
        rs.getString("request_id"));
  }
}
