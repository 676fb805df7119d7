package dev.quarry.server.jobs;

/**
 * How many of a job's futures are in each state: the counts every view of a job shows (REST, the
 * dashboard's progress, the job's summary). Views embed it unwrapped, so their JSON keeps the flat
 * {@code total}, {@code pending}, … fields.
 *
 * @param total futures in the job
 * @param pending futures waiting to run
 * @param running futures running
 * @param succeeded futures that succeeded
 * @param failed futures that failed for good
 * @param cancelled futures that were cancelled
 */
public record TaskCounts(
    int total, int pending, int running, int succeeded, int failed, int cancelled) {

  /** The counts the job row carries. */
  public static TaskCounts of(JobRecord job) {
    return new TaskCounts(
        job.total(),
        job.count(TaskState.PENDING),
        job.count(TaskState.RUNNING),
        job.count(TaskState.SUCCEEDED),
        job.count(TaskState.FAILED),
        job.count(TaskState.CANCELLED));
  }

  /** Futures that have ended: succeeded, failed or cancelled. */
  public int ended() {
    return succeeded + failed + cancelled;
  }
}
