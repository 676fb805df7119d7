package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.lit;
import static dev.quarry.server.jobs.internal.StateSql.taskMayBecome;

import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskState;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The writes of outcomes, each batch in one statement per kind, each row guarded by (task, attempt,
 * state) so that a late or duplicate outcome changes nothing.
 */
final class OutcomeStatements {
  private static final String GUARD =
      " where t.job_id = v.job_id and t.idx = v.idx and t.attempt = v.attempt and ";

  private static final String FINISH =
      "update tasks t set state = v.state, result_key = v.result_key, error_type = v.error_type,"
          + " error_message = v.error_message, function_error = v.function_error,"
          + " duration_ms = v.duration_ms, cold_start = v.cold, billed_ms = v.billed_ms,"
          + " memory_used_mb = v.memory_used_mb, memory_size_mb = v.memory_size_mb,"
          + " finished_at = now(), finish_seq = nextval('finish_seq'), lease_owner = null,"
          + " lease_expires_at = null, log_key = v.log_key, worker_id = v.worker_id,"
          + " cpu_ms = v.cpu_ms, peak_memory_bytes = v.peak_memory_bytes,"
          + " bytes_read = v.bytes_read, bytes_written = v.bytes_written"
          + " from unnest(?::uuid[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::boolean[], ?::int[], ?::boolean[], ?::int[], ?::int[], ?::int[],"
          + " ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
          + " as v(job_id, idx, attempt, state, result_key, error_type, error_message,"
          + " function_error, duration_ms, cold, billed_ms, memory_used_mb, memory_size_mb,"
          + " log_key, worker_id, cpu_ms, peak_memory_bytes, bytes_read, bytes_written)"
          // SUCCEEDED and FAILED have the same sources
          + GUARD
          + taskMayBecome("t.state", TaskState.SUCCEEDED);

  private static final String RETRY =
      "update tasks t set state = "
          + lit(TaskState.PENDING)
          + ", lease_owner = null,"
          + " lease_expires_at = null, not_before = now() + v.delay_ms * interval '1 millisecond',"
          + " queued_at = now() + v.delay_ms * interval '1 millisecond',"
          + " error_type = v.error_type, error_message = v.error_message, log_key = v.log_key"
          + " from unnest(?::uuid[], ?::int[], ?::int[], ?::bigint[], ?::text[], ?::text[],"
          + " ?::text[])"
          + " as v(job_id, idx, attempt, delay_ms, error_type, error_message, log_key)"
          + GUARD
          + taskMayBecome("t.state", TaskState.PENDING);

  // The attempt was never made: it is given back.
  private static final String REQUEUE =
      "update tasks t set state = "
          + lit(TaskState.PENDING)
          + ", attempt = t.attempt - 1,"
          + " lease_owner = null, lease_expires_at = null, started_at = null,"
          + " not_before = now() + v.delay_ms * interval '1 millisecond',"
          + " queued_at = now() + v.delay_ms * interval '1 millisecond'"
          + " from unnest(?::uuid[], ?::int[], ?::int[], ?::bigint[])"
          + " as v(job_id, idx, attempt, delay_ms)"
          + GUARD
          + taskMayBecome("t.state", TaskState.PENDING);

  private final JdbcClient jdbc;

  OutcomeStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void finished(List<Outcome.Finished> rows) {
    int n = rows.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    String[] state = new String[n];
    String[] key = new String[n];
    String[] type = new String[n];
    String[] message = new String[n];
    Boolean[] fnError = new Boolean[n];
    Integer[] duration = new Integer[n];
    Boolean[] cold = new Boolean[n];
    Integer[] billed = new Integer[n];
    Integer[] memoryUsed = new Integer[n];
    Integer[] memorySize = new Integer[n];
    String[] log = new String[n];
    String[] worker = new String[n];
    Long[][] usage = new Long[4][n];
    for (int i = 0; i < n; i++) {
      Outcome.Finished f = rows.get(i);
      worker[i] = text(f.worker());
      job[i] = f.task().job();
      idx[i] = f.task().index();
      attempt[i] = f.attempt();
      state[i] = f.state().name();
      key[i] = f.resultKey();
      type[i] = text(f.errorType());
      message[i] = text(f.errorMessage());
      fnError[i] = f.functionError();
      duration[i] = f.durationMs();
      cold[i] = f.coldStart();
      log[i] = f.logKey();
      if (f.usage() != null) {
        usage[0][i] = f.usage().cpuMs();
        usage[1][i] = f.usage().peakMemoryBytes();
        usage[2][i] = f.usage().bytesRead();
        usage[3][i] = f.usage().bytesWritten();
      }
      if (f.platform() != null) {
        billed[i] = f.platform().billedMs();
        memoryUsed[i] = f.platform().memoryUsedMb();
        memorySize[i] = f.platform().memorySizeMb();
      }
    }
    jdbc.sql(FINISH)
        .params(
            job,
            idx,
            attempt,
            state,
            key,
            type,
            message,
            fnError,
            duration,
            cold,
            billed,
            memoryUsed,
            memorySize,
            log,
            worker,
            usage[0],
            usage[1],
            usage[2],
            usage[3])
        .update();
  }

  void retries(List<Outcome.Retry> rows) {
    int n = rows.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    Long[] delay = new Long[n];
    String[] type = new String[n];
    String[] message = new String[n];
    String[] log = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome.Retry r = rows.get(i);
      job[i] = r.task().job();
      idx[i] = r.task().index();
      attempt[i] = r.attempt();
      delay[i] = r.delay().toMillis();
      type[i] = text(r.errorType());
      message[i] = text(r.errorMessage());
      log[i] = r.logKey();
    }
    jdbc.sql(RETRY).params(job, idx, attempt, delay, type, message, log).update();
  }

  void requeues(List<Outcome.Requeue> rows) {
    int n = rows.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    Long[] delay = new Long[n];
    for (int i = 0; i < n; i++) {
      Outcome.Requeue r = rows.get(i);
      job[i] = r.task().job();
      idx[i] = r.task().index();
      attempt[i] = r.attempt();
      delay[i] = r.delay().toMillis();
    }
    jdbc.sql(REQUEUE).params(job, idx, attempt, delay).update();
  }

  /** Text from a worker as PostgreSQL can store it (no NUL characters). */
  private static @Nullable String text(@Nullable String s) {
    return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
