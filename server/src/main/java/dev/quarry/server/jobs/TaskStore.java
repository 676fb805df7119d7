package dev.quarry.server.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Every read and write of jobs and their tasks: the one place that knows the {@code jobs} and
 * {@code tasks} tables. Each state change takes its legal source states from the {@link
 * StateMachine}; each write that may end a job's last task finishes the job in the same
 * transaction, so a client that has read every result never sees its job still running.
 *
 * <p>Decisions (whether a failure is retried, after how long) are made by the callers; the store
 * only records them, guarded by (task, attempt, RUNNING) so that a late or duplicate outcome
 * changes nothing.
 */
public interface TaskStore {

  // --- jobs -------------------------------------------------------------------------------

  /**
   * Inserts the job, one PENDING task per row and its audit event, and tells every replica there is
   * new work, in one transaction. Returns false (and changes nothing) when the tenant already has
   * {@code maxJobsInFlight} jobs running.
   */
  boolean insert(NewJob job, List<TaskRow> rows, int maxJobsInFlight);

  /** Jobs of the tenant not finished yet. */
  long runningJobs(String tenant);

  /**
   * The tenant's job with its task counts per state, read from the job row in the same statement as
   * its state (the counters of migration V13), so a finished job never shows open tasks.
   */
  Optional<JobRecord> find(String tenant, UUID id);

  /** The tenant's job; the same single-row read as {@link #find} since the counters are on it. */
  Optional<JobRecord> findWithoutCounts(String tenant, UUID id);

  /** The job's spec without counts, for dispatching (which works across tenants). */
  Optional<JobRecord> spec(UUID id);

  /** The tenant's newest jobs first, with counts. */
  List<JobRecord> list(String tenant, int limit);

  Optional<JobState> state(UUID id);

  /**
   * Cancels a running job and its unfinished tasks in one transaction; false when the job had
   * already ended.
   */
  boolean cancel(String tenant, UUID id);

  /**
   * Puts the job's FAILED tasks back to PENDING with fresh attempts (their error and result
   * cleared) and a finished job back to RUNNING, and tells every replica there is work, in one
   * transaction; returns how many tasks. Empty when the tenant has no such job or it was cancelled.
   */
  java.util.OptionalInt retryFailed(String tenant, UUID id);

  /** Records why a running job waits or fails, shown in its status. */
  void setMessage(UUID id, String message);

  /** Records a message on every running job of a tenant's profile; returns how many jobs. */
  int setProfileMessage(String tenant, String profile, String message);

  /**
   * Open tasks (PENDING or RUNNING) of a tenant's profile, counted up to {@code limit}: the backlog
   * a backend that scales its own workers sizes them by.
   */
  int openTasks(String tenant, String profile, int limit);

  // --- dispatching --------------------------------------------------------------------------

  /**
   * Leases up to {@code request.chunks()} whole chunks of runnable tasks (oldest job first,
   * skipping rows other replicas hold) and moves them to RUNNING with a lease of the job's timeout
   * plus {@code request.leaseGrace()}; each claim starts a new attempt.
   */
  List<ClaimedTask> claim(ClaimRequest request);

  /**
   * Whether any task {@code request} could claim is runnable now, locked by another replica or not
   * (a claim can lose a race for it to another replica); tasks of the skipped tenants and jobs do
   * not count.
   */
  boolean hasRunnable(ClaimRequest request);

  /** Puts claimed tasks back as if they had never been claimed (the attempt is not spent). */
  void release(List<ClaimedTask> tasks);

  /**
   * Records a batch of outcomes and finishes the jobs whose last task ended, in one transaction;
   * returns the jobs touched. Requeued jobs get the requeue's reason as their message.
   */
  Set<UUID> record(List<? extends Outcome> outcomes);

  /** Running tasks whose lease ran out or whose replica sent no heartbeat for {@code deadAfter}. */
  List<ExpiredTask> expired(Duration deadAfter, int limit);

  // --- results ------------------------------------------------------------------------------

  /** Finished tasks of a job after finish sequence {@code seq}, in finish order. */
  List<FinishedTask> finishedAfter(UUID job, long seq, int limit);

  /** Finished tasks of a job from input index {@code index} on, in input order. */
  List<FinishedTask> finishedFrom(UUID job, int index, int limit);

  /** Where the latest recorded attempt of a future stored what it printed; empty if nothing. */
  Optional<String> logKey(UUID job, int index);

  /** The statistics of future {@code index} of the tenant's job; empty if there is none. */
  Optional<FutureStats> futureStats(String tenant, UUID job, int index);

  /**
   * The tenant's job's counts, distributions and totals in one aggregate (all zero for another
   * tenant's job or an unknown one; check the job first).
   */
  JobTotals totals(String tenant, UUID job);

  /** Jobs running and tasks pending or running, over all tenants. */
  QueueCounts queueCounts();

  // --- values ---------------------------------------------------------------------------------

  /**
   * A job to insert (its state, message, times and counts are those of a new job and not read);
   * {@code createdBy} is the submitting key.
   */
  record NewJob(JobRecord job, UUID createdBy, String auditTarget) {}

  /** One input of a new job: inline bytes, or the key of an input staged in storage. */
  record TaskRow(int index, byte @Nullable [] inline, @Nullable String inputKey) {}

  /** What to claim: at most {@code chunks} chunks and {@code maxRows} tasks. */
  record ClaimRequest(
      String owner,
      int chunks,
      int maxRows,
      Duration leaseGrace,
      Collection<String> skipTenants,
      Collection<UUID> skipJobs) {}

  /**
   * A running task whose lease is gone, with what the retry policy needs to decide ({@code
   * attemptBase} as in {@link ClaimedTask}).
   */
  record ExpiredTask(TaskId task, int attempt, int maxAttempts, int attemptBase) {
    /** The attempt's number since the future last (re)started. */
    public int attemptInRun() {
      return attempt - attemptBase;
    }
  }

  /**
   * A finished task's row: its state, where its result is, what the invocation cost, and when its
   * last attempt was handed out and ended ({@code startedAt} null if it never started).
   */
  record FinishedTask(
      int index,
      TaskState state,
      int attempt,
      @Nullable String resultKey,
      @Nullable String errorType,
      @Nullable String errorMessage,
      boolean functionError,
      long seq,
      int durationMs,
      boolean coldStart,
      int billedMs,
      int memoryUsedMb,
      int memorySizeMb,
      java.time.@Nullable Instant startedAt,
      java.time.@Nullable Instant finishedAt,
      @Nullable String worker) {}

  record QueueCounts(long jobsRunning, long tasksPending, long tasksRunning) {}

  // --- dashboard ----------------------------------------------------------------------------

  /**
   * A page of the tenant's jobs matching {@code query}, newest first, from before {@code
   * query.beforeSeq()} (keyset paging); with {@code limit + 1} rows read, to tell whether more
   * follow. With the counters each job row holds.
   */
  JobPage page(String tenant, JobQuery query, int limit);

  /**
   * The tasks of the tenant's job from input index {@code fromIndex} on, in input order, any state
   * ({@code seq} 0 for unfinished ones); only failed ones when {@code failedOnly}. A job's tasks
   * are one per input, indexes 0 to its total - 1, and are kept as long as the job.
   */
  List<FinishedTask> tasks(String tenant, UUID job, int fromIndex, boolean failedOnly, int limit);

  /**
   * Start and end of the job's started tasks whose index is a multiple of {@code step} (a
   * downsample for big jobs), at most {@code limit}, in input order.
   */
  List<Span> spans(String tenant, UUID job, int step, int limit);

  /**
   * The tenant's jobs per state; per profile ("" for the default backend) its tasks pending and
   * running in running jobs; and how many of its tasks ended in the last minute and hour, read from
   * a rollup per job and 10-second bucket that the counters' trigger keeps (no scan of tasks).
   */
  Overview overview(String tenant);

  /** Deletes the buckets of that rollup older than an hour; returns how many were deleted. */
  int forgetTaskEnds();

  /**
   * Jobs per state, the queue per profile, and the futures that ended in the last minute and hour
   * of one tenant.
   */
  record Overview(
      Map<JobState, Long> jobs, List<Queue> queues, long endedLastMinute, long endedLastHour) {}

  /** Tasks of running jobs waiting and running on one profile ("" for the default backend). */
  record Queue(String profile, long pending, long running) {}

  /**
   * What to list: each filter null or empty for all ({@code label} matches a part of the label,
   * {@code createdAfter} excludes older jobs); {@code beforeSeq} null for the first page.
   */
  record JobQuery(
      @Nullable JobState state,
      @Nullable String function,
      @Nullable String profile,
      @Nullable String label,
      java.time.@Nullable Instant createdAfter,
      @Nullable Long beforeSeq) {}

  /** A page of jobs with the seq of each row, and the cursor of the next page (null at the end). */
  record JobPage(List<JobRecord> jobs, List<Long> seqs, @Nullable Long next) {}

  /** One started task's run: epoch milliseconds, {@code endMs} 0 while it runs. */
  record Span(int index, TaskState state, long startMs, long endMs) {}

  /** Task counts per state, for a job's status, from the job row (no scan of its tasks). */
  Map<TaskState, Integer> counts(UUID job);
}
