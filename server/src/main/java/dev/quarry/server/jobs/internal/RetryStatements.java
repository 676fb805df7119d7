package dev.quarry.server.jobs.internal;

import static dev.quarry.server.jobs.internal.StateSql.is;
import static dev.quarry.server.jobs.internal.StateSql.lit;

import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.StateMachine;
import dev.quarry.server.jobs.TaskState;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The statements of retry-failed: a job's FAILED tasks back to PENDING with fresh attempts, the job
 * back to RUNNING. Call inside a transaction that holds the job's row lock.
 */
final class RetryStatements {
  private static final String RETRYABLE_JOB =
      "select exists (select 1 from jobs where tenant_id = ? and id = ? and "
          + is("state", StateMachine.retryableJobs())
          + ")";

  // Everything the failed attempt left is cleared, so results show the new outcome only. The
  // attempt number keeps counting up (it names the result object and guards late outcomes of the
  // old attempts); attempt_base restarts the retry policy's count.
  private static final String RETRY_TASKS =
      "update tasks set state = "
          + lit(TaskState.PENDING)
          + ", attempt_base = attempt, result_key = null, error_type = null,"
          + " error_message = null, function_error = null, lease_owner = null,"
          + " lease_expires_at = null, not_before = null, started_at = null, finished_at = null,"
          + " finish_seq = null, duration_ms = null, cold_start = null, billed_ms = null,"
          + " memory_used_mb = null, memory_size_mb = null, log_key = null,"
          + " worker_id = null, cpu_ms = null, peak_memory_bytes = null, bytes_read = null,"
          + " bytes_written = null, queued_at = now()"
          + " where job_id = ? and "
          + is("state", StateMachine.retriedOnRequest());

  private static final String REOPEN_JOB =
      "with j as (update jobs set state = "
          + lit(JobState.RUNNING)
          + ", finished_at = null, message = '' where id = ? and "
          + is("state", StateMachine.retryableJobs())
          + " returning id)"
          + " select count(*) from j, pg_notify('quarry_work', '') as w, pg_notify('quarry_job', ?) as n";

  private final JdbcClient jdbc;

  RetryStatements(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Puts the job's failed tasks back to PENDING and the job to RUNNING; returns how many tasks, or
   * empty when the tenant has no such job in a retryable state (it was cancelled, or is unknown).
   */
  OptionalInt retryFailed(String tenant, UUID id) {
    if (!jdbc.sql(RETRYABLE_JOB).params(tenant, id).query(Boolean.class).single()) {
      return OptionalInt.empty();
    }
    int retried = jdbc.sql(RETRY_TASKS).param(id).update();
    if (retried > 0) {
      jdbc.sql(REOPEN_JOB).params(id, id.toString()).query(Long.class).single();
    }
    return OptionalInt.of(retried);
  }
}
