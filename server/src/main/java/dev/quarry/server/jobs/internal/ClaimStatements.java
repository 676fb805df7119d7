package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.lit;
import static dev.quarry.server.jobs.internal.StateSql.taskMayBecome;

import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.TaskId;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import dev.quarry.server.jobs.TaskStore.ExpiredTask;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Leasing tasks: claim, release, and finding leases that ran out. */
final class ClaimStatements {
  private static final String CLAIMABLE =
      taskMayBecome("t.state", TaskState.RUNNING)
          + " and (t.not_before is null or t.not_before <= now())";

  private static final String CHUNKS =
      "select job_seq, chunk from tasks t where "
          + CLAIMABLE
          + " and tenant_id <> all(?::text[]) and job_id <> all(?::uuid[])"
          + " group by job_seq, chunk order by job_seq, chunk limit ?";

  // The lock order of every writer of tasks: the job rows first (in id order), then the tasks;
  // the claim's counter update (trigger of V13) then touches rows this statement holds. lj locks
  // the jobs of the oldest claimable chunks; k picks whole chunks (oldest job first) of those
  // jobs only, so a task is locked (c) only after its job's row; c skips rows another replica
  // holds, and a chunk split that way just becomes a smaller invocation.
  static final String CLAIM =
      "with lj as materialized (select id, seq from jobs where seq in (select job_seq from ("
          + CHUNKS
          + ") k0) order by id for update),"
          + " k as (select job_seq, chunk from tasks t where "
          + CLAIMABLE
          + " and t.job_seq in (select seq from lj)"
          + " group by job_seq, chunk order by job_seq, chunk limit ?),"
          + " c as (select t.job_id, t.idx from k cross join lateral (select job_id, idx"
          + " from tasks t where "
          + CLAIMABLE
          + " and t.job_seq = k.job_seq"
          + " and t.chunk = k.chunk for update skip locked) t limit ?)"
          + " update tasks t set state = "
          + lit(TaskState.RUNNING)
          + ", attempt = t.attempt + 1,"
          + " lease_owner = ?,"
          + " lease_expires_at = now() + (j.timeout_ms + ?) * interval '1 millisecond',"
          + " started_at = now(), not_before = null"
          + " from c, jobs j where t.job_id = c.job_id and t.idx = c.idx and j.id = t.job_id"
          + " returning t.tenant_id, t.job_id, t.idx, t.attempt, t.chunk, t.input, t.input_key,"
          + " t.attempt_base";

  private static final String RUNNABLE =
      "select exists (select 1 from tasks t where "
          + CLAIMABLE
          + " and tenant_id <> all(?::text[]) and job_id <> all(?::uuid[]))";

  private static final String RELEASE =
      "update tasks t set state = "
          + lit(TaskState.PENDING)
          + ", attempt = t.attempt - 1,"
          + " lease_owner = null, lease_expires_at = null, started_at = null"
          + " from unnest(?::uuid[], ?::int[], ?::int[]) as v(job_id, idx, attempt)"
          + " where t.job_id = v.job_id and t.idx = v.idx and t.attempt = v.attempt and "
          + taskMayBecome("t.state", TaskState.PENDING);

  private static final String EXPIRED =
      "select t.job_id, t.idx, t.attempt, j.max_attempts, t.attempt_base from tasks t join jobs j on j.id = t.job_id"
          + " where t.state = "
          + lit(TaskState.RUNNING)
          + " and (t.lease_expires_at < now()"
          + " or not exists (select 1 from replicas r where r.owner = t.lease_owner"
          + " and r.heartbeat_at > now() - ? * interval '1 millisecond')) limit ?";

  private final JdbcClient jdbc;

  ClaimStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Claims tasks in one statement (it locks their jobs' rows first). */
  List<ClaimedTask> claim(ClaimRequest r) {
    return jdbc.sql(CLAIM)
        .params(
            r.skipTenants().toArray(String[]::new),
            r.skipJobs().toArray(UUID[]::new),
            r.chunks(),
            r.chunks(),
            r.maxRows(),
            r.owner(),
            r.leaseGrace().toMillis())
        .query(
            (rs, n) ->
                new ClaimedTask(
                    rs.getString("tenant_id"),
                    new TaskId(rs.getObject("job_id", UUID.class), rs.getInt("idx")),
                    rs.getInt("attempt"),
                    rs.getInt("chunk"),
                    rs.getBytes("input"),
                    rs.getString("input_key"),
                    rs.getInt("attempt_base")))
        .list();
  }

  boolean hasRunnable(ClaimRequest r) {
    return jdbc.sql(RUNNABLE)
        .params(r.skipTenants().toArray(String[]::new), r.skipJobs().toArray(UUID[]::new))
        .query(Boolean.class)
        .single();
  }

  /** Gives tasks back; call inside a transaction that locked their jobs' rows first. */
  void release(List<ClaimedTask> tasks) {
    int n = tasks.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    for (int i = 0; i < n; i++) {
      job[i] = tasks.get(i).jobId();
      idx[i] = tasks.get(i).index();
      attempt[i] = tasks.get(i).attempt();
    }
    jdbc.sql(RELEASE).params(job, idx, attempt).update();
  }

  List<ExpiredTask> expired(Duration deadAfter, int limit) {
    return jdbc.sql(EXPIRED)
        .params(deadAfter.toMillis(), limit)
        .query(
            (rs, n) ->
                new ExpiredTask(
                    new TaskId(rs.getObject("job_id", UUID.class), rs.getInt("idx")),
                    rs.getInt("attempt"),
                    rs.getInt("max_attempts"),
                    rs.getInt("attempt_base")))
        .list();
  }
}
