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
  private static final String CLAIM =
      "with c as (select job_id, idx from tasks where state = 'PENDING'"
          + " and (not_before is null or not_before <= now())"
          + " order by job_seq, idx limit ? for update skip locked)"
          + " update tasks t set state = 'RUNNING', attempt = t.attempt + 1, lease_owner = ?,"
          + " lease_expires_at = now() + (j.timeout_ms + ?) * interval '1 millisecond',"
          + " started_at = now(), not_before = null"
          + " from c, jobs j where t.job_id = c.job_id and t.idx = c.idx and j.id = t.job_id"
          + " returning t.tenant_id, t.job_id, t.idx, t.attempt, t.chunk, t.input, t.input_key";

  private final JdbcClient jdbc;

  TaskClaimer(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<ClaimedTask> claim(String owner, int limit, Duration leaseGrace) {
    return jdbc.sql(CLAIM)
        .params(limit, owner, leaseGrace.toMillis())
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
}
