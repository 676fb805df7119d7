package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.dispatch.RetryPolicy.Failure;
import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.ExpiredTask;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.supervision.LoopSupervisor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reclaims tasks whose lease ran out (a lost response) or whose replica stopped sending heartbeats
 * (it crashed or was killed): the {@link RetryPolicy} decides, as for any transient failure,
 * whether they run again or fail. Runs on every replica; the store's writes are guarded by attempt,
 * so two reapers reclaim a task once. A replica is dead after four reaper intervals without a
 * heartbeat.
 */
@Component
class LeaseReaper {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
  private static final int BATCH = 10_000;
  static final String TYPE = "dev.quarry.LeaseExpired";
  static final String MESSAGE = "no answer before the lease expired or its replica stopped";

  private final TaskStore tasks;
  private final RetryPolicy retry;
  private final JobSignals signals;
  private final WorkSignal work;
  private final Duration deadAfter;
  private final LoopSupervisor supervisor;

  @Autowired
  LeaseReaper(
      TaskStore tasks,
      RetryPolicy retry,
      JobSignals signals,
      WorkSignal work,
      QuarryProperties props,
      LoopSupervisor supervisor) {
    this(
        tasks, retry, signals, work, props.dispatch().reaperInterval().multipliedBy(4), supervisor);
  }

  LeaseReaper(
      TaskStore tasks,
      RetryPolicy retry,
      JobSignals signals,
      WorkSignal work,
      Duration deadAfter,
      LoopSupervisor supervisor) {
    this.tasks = tasks;
    this.retry = retry;
    this.signals = signals;
    this.work = work;
    this.deadAfter = deadAfter;
    this.supervisor = supervisor;
  }

  @Scheduled(fixedDelayString = "${quarry.dispatch.reaper-interval:5s}")
  void reap() {
    supervisor.runTask("quarry-reaper", this::reapOnce);
  }

  /** Reclaims what has expired now; returns how many tasks. */
  int reapOnce() {
    List<ExpiredTask> expired = tasks.expired(deadAfter, BATCH);
    if (expired.isEmpty()) {
      return 0;
    }
    List<Outcome> outcomes = expired.stream().map(this::decide).toList();
    Set<UUID> jobs = tasks.record(outcomes);
    log.warn("Reclaimed {} tasks whose lease expired or whose replica stopped", expired.size());
    jobs.forEach(signals::signal);
    work.wakeUp();
    return expired.size();
  }

  private Outcome decide(ExpiredTask t) {
    return retry
        .retryAfter(Failure.TRANSIENT, t.attemptInRun(), t.maxAttempts(), false)
        .<Outcome>map(delay -> new Outcome.Retry(t.task(), t.attempt(), delay, TYPE, MESSAGE, null))
        .orElseGet(
            () ->
                new Outcome.Finished(
                    t.task(),
                    t.attempt(),
                    TaskState.FAILED,
                    null,
                    TYPE,
                    MESSAGE + " (attempt " + t.attemptInRun() + " of " + t.maxAttempts() + ")",
                    false,
                    0,
                    false,
                    null,
                    null,
                    null,
                    null));
  }
}
