package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskId;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.ExpiredTask;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.supervision.LoopSupervisor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The reaper's decisions against a fake store: the retry policy decides, as for any failure. */
class LeaseReaperTest {
  private final FakeTaskStore store = new FakeTaskStore();
  private final LeaseReaper reaper =
      new LeaseReaper(
          store,
          new RetryPolicy(Duration.ofMillis(10)),
          new JobSignals(),
          new WorkSignal(),
          Duration.ofSeconds(20),
          new LoopSupervisor(
              Clock.systemUTC(),
              new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class)));

  @Test
  void anExpiredTaskWithAttemptsLeftRunsAgainAndOneWithoutFails() {
    UUID job = UUID.randomUUID();
    store.expired.add(new ExpiredTask(new TaskId(job, 0), 1, 3, 0));
    store.expired.add(new ExpiredTask(new TaskId(job, 1), 3, 3, 0));

    assertThat(reaper.reapOnce()).isEqualTo(2);

    assertThat(store.recorded.get(0))
        .isInstanceOfSatisfying(
            Outcome.Retry.class,
            r -> {
              assertThat(r.task()).isEqualTo(new TaskId(job, 0));
              assertThat(r.attempt()).isEqualTo(1);
              assertThat(r.errorType()).isEqualTo(LeaseReaper.TYPE);
            });
    assertThat(store.recorded.get(1))
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.state()).isEqualTo(TaskState.FAILED);
              assertThat(f.functionError()).isFalse();
              assertThat(f.errorMessage()).endsWith("(attempt 3 of 3)");
            });
  }

  @Test
  void nothingExpiredRecordsNothing() {
    assertThat(reaper.reapOnce()).isZero();
    assertThat(store.recorded).isEmpty();
  }
}
