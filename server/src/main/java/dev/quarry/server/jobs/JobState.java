package dev.quarry.server.jobs;

/** State of a job: running until every future is terminal or the job is cancelled. */
public enum JobState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this != RUNNING;
  }
}
