package dev.quarry.server.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Claims runnable tasks in one statement: oldest job first, skipping rows other replicas hold,
 * moving them to RUNNING with a lease of the job's timeout plus a grace period.
 */
@Component
class TaskClaimer {
  // Picks whole chunks (oldest job first), then locks their pending rows, skipping rows another
  // replica holds; a chunk split that way just becomes a smaller invocation.
  private static final String CLAIM =
      "with k as (select job_seq, chunk from tasks where state = 'PENDING'"
          + " and (not_before is null or not_before <= now()) and tenant_id <> all(?::text[])"
          + " and job_id <> all(?::uuid[])"
          + " group by job_seq, chunk order by job_seq, chunk limit ?),"
          + " c as (select t.job_id, t.idx from k cross join lateral (select job_id, idx"
          + " from tasks t where t.state = 'PENDING' and t.job_seq = k.job_seq"
          + " and t.chunk = k.chunk and (t.not_before is null or t.not_before <= now())"
          + " for update skip locked) t limit ?)"
          + " update tasks t set state = 'RUNNING', attempt = t.attempt + 1, lease_owner = ?,"
          + " lease_expires_at = now() + (j.timeout_ms + ?) * interval '1 millisecond',"
          + " started_at = now(), not_before = null"
          + " from c, jobs j where t.job_id = c.job_id and t.idx = c.idx and j.id = t.job_id"
          + " returning t.tenant_id, t.job_id, t.idx, t.attempt, t.chunk, t.input, t.input_key";

  private final JdbcClient jdbc;

  TaskClaimer(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Claims up to {@code chunks} chunks, at most {@code maxRows} tasks in all. */
  List<ClaimedTask> claim(String owner, int chunks, int maxRows, Duration leaseGrace) {
    return claim(owner, chunks, maxRows, leaseGrace, new String[0], new UUID[0]);
  }

  /**
   * As {@link #claim(String, int, int, Duration)}, skipping the tasks of {@code skipTenants} (at
   * their concurrency quota) and {@code skipJobs} (their backend is full).
   */
  List<ClaimedTask> claim(
      String owner, int chunks, int maxRows, Duration leaseGrace, String[] skipTenants, UUID[] skipJobs) {
    return jdbc.sql(CLAIM)
        .params(skipTenants, skipJobs, chunks, maxRows, owner, leaseGrace.toMillis())
        .query(
            (rs, n) ->
                new ClaimedTask(
                    rs.getString("tenant_id"),
                    rs.getObject("job_id", UUID.class),
                    rs.getInt("idx"),
                    rs.getInt("attempt"),
                    rs.getInt("chunk"),
                    rs.getBytes("input"),
                    rs.getString("input_key")))
        .list();
  }

  /**
   * Whether any task is runnable now. A claim can come back empty while this is true when another
   * replica locked the same chunks first; the caller then tries again.
   */
  boolean hasRunnable() {
    return jdbc.sql(
            "select exists (select 1 from tasks where state = 'PENDING'"
                + " and (not_before is null or not_before <= now()))")
        .query(Boolean.class)
        .single();
  }

  /** Puts claimed tasks back as if never claimed (their tenant is at its concurrency limit). */
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
    jdbc.sql(
            "update tasks t set state = 'PENDING', attempt = t.attempt - 1, lease_owner = null,"
                + " lease_expires_at = null, started_at = null"
                + " from unnest(?::uuid[], ?::int[], ?::int[]) as v(job_id, idx, attempt)"
                + " where t.job_id = v.job_id and t.idx = v.idx and t.attempt = v.attempt"
                + " and t.state = 'RUNNING'")
        .params(job, idx, attempt)
        .update();
  }
}
