package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.jobOpen;
import static dev.quarry.server.jobs.internal.StateSql.lit;

import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.NewJob;
import dev.quarry.server.jobs.TaskStore.TaskRow;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inserts a job with its tasks and audit event. Small jobs go in with one statement (job, tasks
 * from unnest arrays, notify); large ones with an insert and a COPY in one transaction.
 */
final class TaskInsert {
  private static final int SINGLE_STATEMENT_MAX = 1000;

  // Inserts the job only while the tenant has fewer running jobs than its limit (last parameter).
  private static final String INSERT_JOB =
      "insert into jobs (tenant_id, id, state, function_id, function_name, function_kind,"
          + " entry_class, payload_digest, jar_digests, bundle_digest, codec, total, chunk_size,"
          + " max_attempts, retry_function_errors, timeout_ms, label, created_by, profile_name,"
          + " request_id)"
          + " select ?, ?, "
          + lit(JobState.RUNNING)
          + ", ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid, ?, ?"
          + " where (select count(*) from jobs where tenant_id = ? and "
          + jobOpen("state")
          + ") < ? returning seq";

  private static final String AUDIT =
      "insert into audit_events (tenant_id, key_id, actor, action, target)"
          + " select ?, ?::uuid, ?, 'job.submit', ? from j";

  private static final String INSERT_ALL =
      "with j as ("
          + INSERT_JOB
          + "), a as ("
          + AUDIT
          + "), t as (insert into tasks"
          + " (tenant_id, job_id, idx, job_seq, chunk, state, input, input_key)"
          + " select ?, ?, i.idx, j.seq, i.idx / ?, "
          + lit(TaskState.PENDING)
          + ", i.input, i.input_key"
          + " from j, unnest(?::int[], ?::bytea[], ?::text[]) as i(idx, input, input_key))"
          + " select seq from j, pg_notify('quarry_work', ?)";

  private static final String INSERT_JOB_ONLY =
      "with j as ("
          + INSERT_JOB
          + "), a as ("
          + AUDIT
          + ")"
          + " select seq from j, pg_notify('quarry_work', ?)";

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final TransactionTemplate tx;
  private final String origin;

  /**
   * @param origin the payload of the {@code quarry_work} notification: this replica's, whose
   *     listener skips it (the submit wakes its dispatcher in-process)
   */
  TaskInsert(JdbcClient jdbc, DataSource dataSource, TransactionTemplate tx, String origin) {
    this.origin = origin;
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.tx = tx;
  }

  boolean insert(NewJob newJob, List<TaskRow> rows, int maxJobsInFlight) {
    JobRecord job = newJob.job();
    FunctionRef fn = job.function();
    Object[] jobParams = {
      job.tenantId(),
      job.id(),
      fn.id(),
      fn.name(),
      fn.kind(),
      fn.entryClass(),
      fn.payloadDigest(),
      fn.jarDigests().toArray(String[]::new),
      fn.bundleDigest(),
      fn.codec(),
      job.total(),
      job.chunkSize(),
      job.maxAttempts(),
      job.retryFunctionErrors(),
      job.timeoutMs(),
      job.label(),
      newJob.createdBy(),
      job.profile(),
      job.requestId(),
      job.tenantId(),
      maxJobsInFlight,
      job.tenantId(),
      newJob.createdBy(),
      "key:" + newJob.createdBy(),
      newJob.auditTarget()
    };
    Object[] onlyParams = Arrays.copyOf(jobParams, jobParams.length + 1);
    onlyParams[jobParams.length] = origin;
    if (rows.size() <= SINGLE_STATEMENT_MAX) {
      int n = rows.size();
      Integer[] idx = new Integer[n];
      byte[][] inline = new byte[n][];
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        idx[i] = rows.get(i).index();
        inline[i] = rows.get(i).inline();
        keys[i] = rows.get(i).inputKey();
      }
      Object[] params = Arrays.copyOf(jobParams, jobParams.length + 7);
      params[jobParams.length] = job.tenantId();
      params[jobParams.length + 1] = job.id();
      params[jobParams.length + 2] = job.chunkSize();
      params[jobParams.length + 3] = idx;
      params[jobParams.length + 4] = inline;
      params[jobParams.length + 5] = keys;
      params[jobParams.length + 6] = origin;
      return jdbc.sql(INSERT_ALL).params(params).query(Long.class).optional().isPresent();
    }
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              var inserted =
                  jdbc.sql(INSERT_JOB_ONLY).params(onlyParams).query(Long.class).optional();
              if (inserted.isEmpty()) {
                return false;
              }
              try {
                TaskCopy.copy(
                    DataSourceUtils.getConnection(dataSource),
                    job.tenantId(),
                    job.id(),
                    inserted.get(),
                    job.chunkSize(),
                    rows);
              } catch (SQLException e) {
                throw new IllegalStateException("could not insert tasks", e);
              }
              return true;
            }));
  }
}
