package dev.quarry.server.jobs;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/** Reading, watching and cancelling jobs on behalf of a caller. */
@Service
public class JobService {
  private static final Duration MIN_EVENT_GAP = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(1);

  private final TaskStore jobs;
  private final JobSignals signals;

  private final dev.quarry.server.audit.AuditLog audit;
  private final WorkSignal work;

  public JobService(
      TaskStore jobs, JobSignals signals, dev.quarry.server.audit.AuditLog audit, WorkSignal work) {
    this.jobs = jobs;
    this.signals = signals;
    this.audit = audit;
    this.work = work;
  }

  /**
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant
   */
  public JobRecord get(Principal caller, UUID id) {
    caller.require(Role.VIEWER);
    return jobs.find(caller.tenantId(), id)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.JOB_NOT_FOUND, id.toString()));
  }

  public List<JobRecord> list(Principal caller, int limit) {
    caller.require(Role.VIEWER);
    if (limit < 1 || limit > 1000) {
      throw ApiException.invalid("limit must be between 1 and 1000");
    }
    return jobs.list(caller.tenantId(), limit);
  }

  /**
   * A page of the caller's jobs for the dashboard, newest first, without task counts.
   *
   * @throws ApiException INVALID_ARGUMENT unless {@code limit} is between 1 and 1000
   */
  public TaskStore.JobPage page(Principal caller, TaskStore.JobQuery query, int limit) {
    caller.require(Role.VIEWER);
    if (limit < 1 || limit > 1000) {
      throw ApiException.invalid("limit must be between 1 and 1000");
    }
    return jobs.page(caller.tenantId(), query, limit);
  }

  /** The caller's jobs per state and queue per profile. */
  public TaskStore.Overview overview(Principal caller) {
    caller.require(Role.VIEWER);
    return jobs.overview(caller.tenantId());
  }

  /**
   * The futures of the caller's job from input index {@code fromIndex} on, in input order.
   *
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant
   */
  public List<TaskStore.FinishedTask> futures(
      Principal caller, UUID id, int fromIndex, boolean failedOnly, int limit) {
    caller.require(Role.VIEWER);
    if (jobs.findWithoutCounts(caller.tenantId(), id).isEmpty()) {
      throw ApiException.notFound(ErrorReason.JOB_NOT_FOUND, id.toString());
    }
    return jobs.tasks(caller.tenantId(), id, Math.max(0, fromIndex), failedOnly, limit);
  }

  /**
   * A downsample of at most about {@code max} runs of the caller's job's futures, for charts.
   *
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant
   */
  public List<TaskStore.Span> spans(Principal caller, JobRecord job, int max) {
    caller.require(Role.VIEWER);
    if (!job.tenantId().equals(caller.tenantId())) {
      throw ApiException.notFound(ErrorReason.JOB_NOT_FOUND, job.id().toString());
    }
    int step = Math.max(1, (job.total() + max - 1) / max);
    return jobs.spans(caller.tenantId(), job.id(), step, max);
  }

  /**
   * Cancels the job's unfinished futures. Cancelling a finished job is not an error: the job is
   * returned as it is.
   *
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant
   */
  public JobRecord cancel(Principal caller, UUID id) {
    caller.require(Role.MEMBER);
    get(caller, id);
    if (jobs.cancel(caller.tenantId(), id)) {
      signals.signal(id);
      audit.record(caller, "job.cancel", id.toString());
    }
    return get(caller, id);
  }

  /**
   * Runs the job's failed futures again, each with fresh attempts; a finished job runs again until
   * they end. A job without failed futures is returned as it is ({@code retried} 0).
   *
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant, CONFLICT
   *     (JOB_CANCELLED) if it was cancelled
   */
  public Retried retryFailed(Principal caller, UUID id) {
    caller.require(Role.MEMBER);
    get(caller, id);
    int retried =
        jobs.retryFailed(caller.tenantId(), id)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorReason.JOB_CANCELLED,
                        "job '" + id + "' was cancelled: its futures cannot run again"));
    if (retried > 0) {
      work.wakeUp();
      signals.signal(id);
      audit.record(caller, "job.retry-failed", id.toString());
    }
    return new Retried(get(caller, id), retried);
  }

  /** A job after retry-failed and how many of its futures run again. */
  public record Retried(JobRecord job, int retried) {}

  /**
   * Sends the job now and after each change (at most every 100 ms) until it ends.
   *
   * @throws ApiException NOT_FOUND if the job does not exist for the caller's tenant
   */
  public void watch(
      Principal caller,
      UUID id,
      Consumer<JobRecord> events,
      java.util.function.BooleanSupplier closed)
      throws InterruptedException {
    JobRecord job = get(caller, id);
    long version = signals.version(id);
    try {
      while (!closed.getAsBoolean()) {
        events.accept(job);
        if (job.state().terminal()) {
          return;
        }
        Thread.sleep(MIN_EVENT_GAP.toMillis());
        version = signals.await(id, version, WAIT);
        job = get(caller, id);
      }
    } finally {
      signals.release(id);
    }
  }
}
