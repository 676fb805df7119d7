package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.StateMachine;
import dev.quarry.server.jobs.TaskState;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * State conditions of the task store's SQL, written from the {@link StateMachine} when the
 * statements are built. They are literals, not parameters, so that PostgreSQL matches them with the
 * partial indexes on pending, running and open rows (a parameter would not match them in a generic
 * plan).
 */
final class StateSql {
  private StateSql() {}

  /** {@code 'STATE'}. */
  static String lit(Enum<?> state) {
    return "'" + state.name() + "'";
  }

  /** {@code column = 'A'} or {@code column in ('A', 'B')}. */
  static String is(String column, List<? extends Enum<?>> states) {
    if (states.isEmpty()) {
      throw new IllegalArgumentException("no states for " + column);
    }
    if (states.size() == 1) {
      return column + " = " + lit(states.get(0));
    }
    return column
        + " in ("
        + states.stream().map(StateSql::lit).collect(Collectors.joining(", "))
        + ")";
  }

  /** A task may move to {@code to} from the column's state. */
  static String taskMayBecome(String column, TaskState to) {
    return is(column, Arrays.stream(StateMachine.sources(to)).map(TaskState::valueOf).toList());
  }

  /** A job may move to {@code to} from the column's state. */
  static String jobMayBecome(String column, JobState to) {
    return is(column, Arrays.stream(StateMachine.sources(to)).map(JobState::valueOf).toList());
  }

  /** The task can still change. */
  static String taskOpen(String column) {
    return is(column, StateMachine.open());
  }

  /** The job can still change. */
  static String jobOpen(String column) {
    return is(column, StateMachine.openJobs());
  }
}
