package dev.quarry.server.jobs;

import java.util.UUID;

/**
 * One future of a job: the job's id and the input's index. Its text form {@code job:index} is what
 * workers and clients see as a task id; this record is the only place that builds it.
 */
public record TaskId(UUID job, int index) {
  public TaskId {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
  }

  @Override
  public String toString() {
    return job + ":" + index;
  }
}
