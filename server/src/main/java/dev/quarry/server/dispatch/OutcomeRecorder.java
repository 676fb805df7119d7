package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.supervision.LoopSupervisor;
import dev.quarry.server.supervision.SupervisedLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes outcomes in batches: whatever arrived while the previous batch was being written goes in
 * the next one, so a busy server writes few large batches and an idle one writes at once. The
 * {@link TaskStore} guards every write by (task, attempt, RUNNING), so a late or duplicate outcome
 * changes nothing.
 */
@Component
class OutcomeRecorder extends SupervisedLoop {
  private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);
  private static final int MAX_BATCH = 2000;

  private final TaskStore tasks;
  private final JobSignals signals;
  private final WorkSignal work;
  private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
  static final String LOOP = "quarry-recorder";

  OutcomeRecorder(TaskStore tasks, JobSignals signals, WorkSignal work, LoopSupervisor supervisor) {
    super(supervisor, LOOP);
    this.tasks = tasks;
    this.signals = signals;
    this.work = work;
  }

  void add(List<? extends Outcome> outcomes) {
    queue.addAll(outcomes);
  }

  @Override
  protected void afterStop() {
    drainOnce();
  }

  @Override
  public int getPhase() {
    return 100;
  }

  @Override
  protected void loop() throws InterruptedException {
    while (running()) {
      Outcome first = queue.poll(500, TimeUnit.MILLISECONDS);
      if (first == null) {
        continue;
      }
      List<Outcome> batch = new ArrayList<>();
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        write(batch);
        supervisor().roundSucceeded(LOOP);
      } catch (RuntimeException e) {
        supervisor().roundFailed(LOOP, e);
        writeOneByOne(batch, e);
      }
    }
  }

  /** After a failed batch: one bad outcome (one job) must not lose the others' outcomes. */
  private void writeOneByOne(List<Outcome> batch, RuntimeException cause) {
    if (batch.size() == 1) {
      log.error(
          "Recording an outcome of job {} failed; its lease will expire and it will be retried",
          batch.get(0).jobId(),
          cause);
      return;
    }
    log.warn(
        "Recording a batch of {} outcomes failed ({}); writing them one by one",
        batch.size(),
        cause.toString());
    for (Outcome o : batch) {
      try {
        write(List.of(o));
      } catch (RuntimeException e) {
        log.error(
            "Recording an outcome of job {} failed; its lease will expire and it will be retried",
            o.jobId(),
            e);
      }
    }
  }

  private void drainOnce() {
    List<Outcome> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      try {
        write(rest);
      } catch (RuntimeException e) {
        log.warn("Could not record {} outcomes at shutdown; their leases will expire", rest.size());
      }
    }
  }

  void write(List<Outcome> batch) {
    Set<UUID> touched = tasks.record(batch);
    touched.forEach(signals::signal);
    if (batch.stream().anyMatch(o -> !(o instanceof Outcome.Finished))) {
      // tasks went back to PENDING
      work.wakeUp();
    }
  }
}
