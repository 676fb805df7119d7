package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.jobMayBecome;
import static dev.quarry.server.jobs.internal.StateSql.jobOpen;
import static dev.quarry.server.jobs.internal.StateSql.lit;
import static dev.quarry.server.jobs.internal.StateSql.taskMayBecome;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The statements on whole jobs: reads, cancel, finishing, locking. */
final class JobStatements {
  // The counters on the row are the transaction's own (the statement-level triggers of V13 keep
  // them, and the caller holds the row lock), so "no open task left" needs no scan of the tasks.
  private static final String FINISH_IF_DONE =
      "with f as (update jobs j set finished_at = now(),"
          + " message = case when j.message like 'waiting:%' then '' else j.message end,"
          + " state = case when j.failed > 0 then "
          + lit(JobState.FAILED)
          + " else "
          + lit(JobState.SUCCEEDED)
          + " end"
          + " where j.id = any(?) and "
          + jobMayBecome("j.state", JobState.SUCCEEDED)
          + " and j.pending = 0 and j.running = 0 returning j.id),"
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

  // Open tasks belong to running jobs only (cancel and finishing close them all).
  private static final String QUEUE_COUNTS =
      "select count(*), coalesce(sum(pending), 0), coalesce(sum(running), 0) from jobs where "
          + jobOpen("state");

  private final JdbcClient jdbc;

  JobStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The job with its counters, read in one statement with its state (they always agree). */
  Optional<JobRecord> find(String tenant, UUID id) {
    return jdbc.sql("select * from jobs where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query((rs, n) -> map(rs))
        .optional();
  }

  Optional<JobRecord> spec(UUID id) {
    return jdbc.sql("select * from jobs where id = ?")
        .param(id)
        .query((rs, n) -> map(rs))
        .optional();
  }

  /** The newest jobs with their counts, in one statement. */
  List<JobRecord> list(String tenant, int limit) {
    return jdbc.sql("select * from jobs where tenant_id = ? order by seq desc limit ?")
        .params(tenant, limit)
        .query((rs, n) -> map(rs))
        .list();
  }

  /** The job's counters as its row holds them (empty map for an unknown job). */
  Map<TaskState, Integer> counts(UUID job) {
    return jdbc.sql("select * from jobs where id = ?")
        .param(job)
        .query((rs, n) -> counts(rs))
        .optional()
        .orElse(Map.of());
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
    // the job rows' counters (V13), never a count over the tasks
    long open =
        jdbc.sql(
                "select coalesce(sum(pending + running), 0) from jobs"
                    + " where tenant_id = ? and profile_name = ? and "
                    + jobOpen("state"))
            .params(tenant, profile)
            .query(Long.class)
            .single();
    return (int) Math.min(open, limit);
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

  /** The per-state counters of a {@code jobs} row; states with no task are left out. */
  static Map<TaskState, Integer> counts(ResultSet rs) throws SQLException {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (TaskState state : TaskState.values()) {
      int n = rs.getInt(state.name().toLowerCase(Locale.ROOT));
      if (n != 0) {
        counts.put(state, n);
      }
    }
    return counts;
  }

  static JobRecord map(ResultSet rs) throws SQLException {
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
        counts(rs),
        rs.getString("profile_name"),
        rs.getString("request_id"));
  }
}
