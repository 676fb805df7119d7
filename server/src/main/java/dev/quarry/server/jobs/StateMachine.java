package dev.quarry.server.jobs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The only place that says which state changes are legal. SQL that moves tasks or jobs takes its
 * allowed source states from here ({@link #sources}), so a change of rules is a change here.
 */
public final class StateMachine {
  private static final Map<TaskState, Set<TaskState>> TASK =
      Map.of(
          TaskState.PENDING, EnumSet.of(TaskState.RUNNING, TaskState.FAILED, TaskState.CANCELLED),
          TaskState.RUNNING,
              EnumSet.of(
                  TaskState.SUCCEEDED, TaskState.FAILED, TaskState.PENDING, TaskState.CANCELLED),
          TaskState.SUCCEEDED, EnumSet.noneOf(TaskState.class),
          TaskState.FAILED, EnumSet.noneOf(TaskState.class),
          TaskState.CANCELLED, EnumSet.noneOf(TaskState.class));

  private static final Map<JobState, Set<JobState>> JOB =
      Map.of(
          JobState.RUNNING, EnumSet.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED),
          JobState.SUCCEEDED, EnumSet.noneOf(JobState.class),
          JobState.FAILED, EnumSet.noneOf(JobState.class),
          JobState.CANCELLED, EnumSet.noneOf(JobState.class));

  /**
   * Changes made only when a caller asks to retry a job's failed futures ({@code retry-failed}),
   * never by dispatching, outcomes or the reaper: a FAILED task runs again, and its FAILED job runs
   * again with it (a SUCCEEDED job has no failed task, so it stays as it is). A cancelled job stays
   * cancelled.
   */
  private static final Set<TaskState> TASK_RETRY_ON_REQUEST = EnumSet.of(TaskState.FAILED);

  private static final Set<JobState> JOB_RETRY_ON_REQUEST =
      EnumSet.of(JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED);

  private StateMachine() {}

  public static boolean allowed(TaskState from, TaskState to) {
    return TASK.get(from).contains(to);
  }

  public static boolean allowed(JobState from, JobState to) {
    return JOB.get(from).contains(to);
  }

  /** Task states a caller's retry-failed puts back to {@link TaskState#PENDING}. */
  public static java.util.List<TaskState> retriedOnRequest() {
    return java.util.List.copyOf(TASK_RETRY_ON_REQUEST);
  }

  /** Job states in which a caller may retry the failed futures (the job is RUNNING after). */
  public static java.util.List<JobState> retryableJobs() {
    return java.util.List.copyOf(JOB_RETRY_ON_REQUEST);
  }

  /** Task states that are not terminal: the task can still change. */
  public static java.util.List<TaskState> open() {
    return Arrays.stream(TaskState.values()).filter(s -> !s.terminal()).toList();
  }

  /** Job states that are not terminal. */
  public static java.util.List<JobState> openJobs() {
    return Arrays.stream(JobState.values()).filter(s -> !s.terminal()).toList();
  }

  /** Task states from which {@code to} may be reached, as names for a SQL {@code = any(?)}. */
  public static String[] sources(TaskState to) {
    return Arrays.stream(TaskState.values())
        .filter(from -> allowed(from, to))
        .map(Enum::name)
        .toArray(String[]::new);
  }

  /** Job states from which {@code to} may be reached, as names for a SQL {@code = any(?)}. */
  public static String[] sources(JobState to) {
    return Arrays.stream(JobState.values())
        .filter(from -> allowed(from, to))
        .map(Enum::name)
        .toArray(String[]::new);
  }
}
