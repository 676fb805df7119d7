package dev.quarry.server.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads and state changes of jobs; every query is scoped to a tenant or a job id it owns. */
@Repository
public class JobRepository {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JobRepository(JdbcClient jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  public Optional<JobRecord> find(String tenant, UUID id) {
    return jdbc.sql("select * from jobs where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query((rs, n) -> map(rs, counts(id)))
        .optional();
  }

  /** The job's spec without counts, for the dispatcher (which works across tenants). */
  public Optional<JobRecord> spec(UUID id) {
    return jdbc.sql("select * from jobs where id = ?")
        .param(id)
        .query((rs, n) -> map(rs, Map.of()))
        .optional();
  }

  public List<JobRecord> list(String tenant, int limit) {
    return jdbc.sql("select * from jobs where tenant_id = ? order by seq desc limit ?")
        .params(tenant, limit)
        .query((rs, n) -> map(rs, Map.of()))
        .list()
        .stream()
        .map(j -> withCounts(j))
        .toList();
  }

  private JobRecord withCounts(JobRecord j) {
    return new JobRecord(
        j.tenantId(), j.id(), j.state(), j.function(), j.total(), j.chunkSize(), j.maxAttempts(),
        j.retryFunctionErrors(), j.timeoutMs(), j.label(), j.message(), j.createdAt(),
        j.finishedAt(), counts(j.id()), j.profile());
  }

  public Map<TaskState, Integer> counts(UUID job) {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    jdbc.sql("select state, count(*) as n from tasks where job_id = ? group by state")
        .param(job)
        .query(
            rs -> {
              counts.put(TaskState.valueOf(rs.getString("state")), rs.getInt("n"));
            });
    return counts;
  }

  /**
   * Locks the rows of {@code ids} until the surrounding transaction ends, in id order so that
   * writers locking several jobs cannot deadlock. Writers that may finish a job's last tasks take
   * this lock before touching its tasks (see {@link #finishIfDone}).
   */
  public void lockForUpdate(java.util.Collection<UUID> ids) {
    jdbc.sql("select id from jobs where id = any(?) order by id for update")
        .param(ids.toArray(UUID[]::new))
        .query(UUID.class)
        .list();
  }

  /**
   * Cancels a running job and its unfinished tasks; returns false if it was already finished.
   * The job's state and its tasks' change in one transaction.
   */
  public boolean cancel(String tenant, UUID id) {
    return Boolean.TRUE.equals(tx.execute(status -> cancelInTransaction(tenant, id)));
  }

  private boolean cancelInTransaction(String tenant, UUID id) {
    int jobs =
        jdbc.sql(
                "update jobs set state = 'CANCELLED', finished_at = now(),"
                    + " message = 'cancelled by request'"
                    + " where tenant_id = ? and id = ? and state = any(?)")
            .params(tenant, id, StateMachine.sources(JobState.CANCELLED))
            .update();
    if (jobs == 0) {
      return false;
    }
    jdbc.sql(
            "update tasks set state = 'CANCELLED', finished_at = now(),"
                + " finish_seq = nextval('finish_seq'), lease_owner = null,"
                + " error_type = 'java.util.concurrent.CancellationException',"
                + " error_message = 'job cancelled', function_error = false"
                + " where job_id = ? and state = any(?)")
        .params(id, StateMachine.sources(TaskState.CANCELLED))
        .update();
    return true;
  }

  /**
   * Finishes each running job in {@code ids} whose tasks are all terminal (FAILED if any future
   * failed, else SUCCEEDED) and notifies other replicas that the jobs changed, in one statement.
   */
  public void finishIfDone(java.util.Collection<UUID> ids) {
    jdbc.sql(
            "with f as (update jobs j set finished_at = now(),"
                + " message = case when j.message like 'waiting:%' then '' else j.message end,"
                + " state = case when exists"
                + " (select 1 from tasks t where t.job_id = j.id and t.state = 'FAILED')"
                + " then 'FAILED' else 'SUCCEEDED' end"
                + " where j.id = any(?) and j.state = 'RUNNING' and not exists"
                + " (select 1 from tasks t where t.job_id = j.id"
                + " and t.state in ('PENDING', 'RUNNING')) returning j.id),"
                + " n as (select pg_notify('quarry_job', x::text) from unnest(?::uuid[]) as x)"
                + " select (select count(*) from f) + (select count(*) from n)")
        .params(ids.toArray(UUID[]::new), ids.toArray(UUID[]::new))
        .query(Long.class)
        .single();
  }

  /** The job's spec and state without counts (one query). */
  public Optional<JobRecord> findWithoutCounts(String tenant, UUID id) {
    return jdbc.sql("select * from jobs where tenant_id = ? and id = ?")
        .params(tenant, id)
        .query((rs, n) -> map(rs, Map.of()))
        .optional();
  }

  /** Records why a job is waiting or failing, shown in job status. */
  public void setMessage(UUID id, String message) {
    jdbc.sql("update jobs set message = ? where id = ? and state = 'RUNNING'")
        .params(message, id)
        .update();
  }

  public Optional<JobState> state(UUID id) {
    return jdbc.sql("select state from jobs where id = ?")
        .param(id)
        .query((rs, n) -> JobState.valueOf(rs.getString(1)))
        .optional();
  }

  private static JobRecord map(ResultSet rs, Map<TaskState, Integer> counts) throws SQLException {
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
        rs.getString("profile_name"));
  }
}
