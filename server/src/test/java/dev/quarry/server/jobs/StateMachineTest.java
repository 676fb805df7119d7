package dev.quarry.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateMachineTest {

  @Test
  void terminalTaskStatesNeverChange() {
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        if (from.terminal()) {
          assertThat(StateMachine.allowed(from, to)).as(from + " -> " + to).isFalse();
        }
      }
    }
  }

  @Test
  void runningTaskMayFinishRetryOrBeCancelled() {
    assertThat(StateMachine.sources(TaskState.SUCCEEDED)).containsExactly("RUNNING");
    assertThat(StateMachine.sources(TaskState.PENDING)).containsExactly("RUNNING");
    assertThat(StateMachine.sources(TaskState.CANCELLED)).containsExactly("PENDING", "RUNNING");
    assertThat(StateMachine.sources(TaskState.RUNNING)).containsExactly("PENDING");
  }

  @Test
  void onlyRunningJobsMove() {
    assertThat(StateMachine.sources(JobState.CANCELLED)).containsExactly("RUNNING");
    assertThat(StateMachine.allowed(JobState.SUCCEEDED, JobState.CANCELLED)).isFalse();
    assertThat(StateMachine.allowed(JobState.CANCELLED, JobState.RUNNING)).isFalse();
  }

  @Test
  void onlyACallersRetryRevivesFailedFuturesAndNeverCancelledJobs() {
    assertThat(StateMachine.retriedOnRequest()).containsExactly(TaskState.FAILED);
    assertThat(StateMachine.retryableJobs())
        .containsExactlyInAnyOrder(JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED);
    // outcomes and the reaper still cannot move a failed task
    assertThat(StateMachine.sources(TaskState.PENDING)).doesNotContain("FAILED");
  }
}
