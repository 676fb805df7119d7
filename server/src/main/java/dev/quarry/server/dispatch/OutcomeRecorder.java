package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.JobRepository;
import dev.quarry.server.jobs.JobSignals;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.quarry.server.supervision.LoopSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes outcomes in batches: whatever arrived while the previous batch was being written goes
 * in the next one, so a busy server writes few large batches and an idle one writes at once.
 * Every write is guarded by (job, index, attempt, RUNNING), so a late or duplicate outcome
 * changes nothing.
 */
@Component
class OutcomeRecorder implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);
  private static final int MAX_BATCH = 2000;

  private static final String FINISH =
      "update tasks t set state = v.state, result_key = v.result_key, error_type = v.error_type,"
          + " error_message = v.error_message, function_error = v.function_error,"
          + " duration_ms = v.duration_ms, cold_start = v.cold, billed_ms = v.billed_ms,"
          + " memory_used_mb = v.memory_used_mb, memory_size_mb = v.memory_size_mb, finished_at = now(),"
          + " finish_seq = nextval('finish_seq'), lease_owner = null, lease_expires_at = null"
          + " from unnest(?::uuid[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::boolean[], ?::int[], ?::boolean[], ?::int[], ?::int[], ?::int[])"
          + " as v(job_id, idx, attempt, state, result_key, error_type, error_message,"
          + " function_error, duration_ms, cold, billed_ms, memory_used_mb, memory_size_mb)"
          + " where t.job_id = v.job_id and t.idx = v.idx and t.attempt = v.attempt"
          + " and t.state = 'RUNNING'";

  private static final String RETRY =
      "update tasks t set state = 'PENDING', lease_owner = null, lease_expires_at = null,"
          + " not_before = now() + v.delay_ms * interval '1 millisecond',"
          + " error_type = v.error_type, error_message = v.error_message"
          + " from unnest(?::uuid[], ?::int[], ?::int[], ?::bigint[], ?::text[], ?::text[])"
          + " as v(job_id, idx, attempt, delay_ms, error_type, error_message)"
          + " where t.job_id = v.job_id and t.idx = v.idx and t.attempt = v.attempt"
          + " and t.state = 'RUNNING'";

  private final JdbcClient jdbc;
  private final JobRepository jobs;
  private final JobSignals signals;
  private final TransactionTemplate tx;
  private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private volatile Runnable onRetry = () -> {};
  private Thread thread = new Thread(() -> {});

  static final String LOOP = "quarry-recorder";
  private final LoopSupervisor supervisor;

  OutcomeRecorder(
      JdbcClient jdbc, JobRepository jobs, JobSignals signals, TransactionTemplate tx,
      LoopSupervisor supervisor) {
    this.supervisor = supervisor;
    this.jdbc = jdbc;
    this.tx = tx;
    this.jobs = jobs;
    this.signals = signals;
  }

  void add(List<? extends Outcome> outcomes) {
    queue.addAll(outcomes);
  }

  /** Called after a batch that put tasks back to PENDING (wakes the dispatcher). */
  void onRetry(Runnable action) {
    this.onRetry = action;
  }

  @Override
  public void start() {
    running = true;
    thread = supervisor.start(LOOP, () -> running, this::loop);
  }

  @Override
  public void stop() {
    running = false;
    supervisor.stopped(LOOP);
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainOnce();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 100;
  }

  private void loop() throws InterruptedException {
    while (running) {
      Outcome first = queue.poll(500, TimeUnit.MILLISECONDS);
      if (first == null) {
        continue;
      }
      List<Outcome> batch = new ArrayList<>();
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        write(batch);
        supervisor.roundSucceeded(LOOP);
      } catch (RuntimeException e) {
        supervisor.roundFailed(LOOP, e);
        writeOneByOne(batch, e);
      }
    }
  }

  /** After a failed batch: one bad outcome (one job) must not lose the others' outcomes. */
  private void writeOneByOne(List<Outcome> batch, RuntimeException cause) {
    if (batch.size() == 1) {
      log.error("Recording an outcome of job {} failed; its lease will expire and it will be retried",
          batch.get(0).jobId(), cause);
      return;
    }
    log.warn("Recording a batch of {} outcomes failed ({}); writing them one by one", batch.size(), cause.toString());
    for (Outcome o : batch) {
      try {
        write(List.of(o));
      } catch (RuntimeException e) {
        log.error("Recording an outcome of job {} failed; its lease will expire and it will be retried", o.jobId(), e);
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
    List<Outcome.Finished> finished = new ArrayList<>();
    List<Outcome.Retry> retries = new ArrayList<>();
    List<Outcome.Requeue> requeues = new ArrayList<>();
    Set<UUID> touched = new LinkedHashSet<>();
    for (Outcome o : batch) {
      touched.add(o.jobId());
      if (o instanceof Outcome.Finished f) {
        finished.add(f);
      } else if (o instanceof Outcome.Retry r) {
        retries.add(r);
      } else if (o instanceof Outcome.Requeue q) {
        requeues.add(q);
      }
    }
    // One transaction: a job's last results and its terminal state become visible together, so
    // a client that has read every result never sees the job still RUNNING. The jobs' rows are
    // locked first (in id order, as the reaper and cancel do) so that two writers finishing the
    // last tasks of one job cannot each miss the other's rows.
    tx.executeWithoutResult(
        status -> {
          jobs.lockForUpdate(touched);
          if (!finished.isEmpty()) {
            writeFinished(finished);
          }
          if (!retries.isEmpty()) {
            writeRetries(retries);
          }
          for (Outcome.Requeue q : requeues) {
            jdbc.sql(
                    "update tasks set state = 'PENDING', attempt = attempt - 1, lease_owner = null,"
                        + " lease_expires_at = null, started_at = null,"
                        + " not_before = now() + ? * interval '1 millisecond'"
                        + " where job_id = ? and idx = ? and attempt = ? and state = 'RUNNING'")
                .params(q.delay().toMillis(), q.jobId(), q.index(), q.attempt())
                .update();
          }
          requeues.stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      Outcome.Requeue::jobId, Outcome.Requeue::reason, (a, b) -> a))
              .forEach(jobs::setMessage);
          jobs.finishIfDone(touched);
        });
    touched.forEach(signals::signal);
    if (!retries.isEmpty() || !requeues.isEmpty()) {
      onRetry.run();
    }
  }

  private void writeFinished(List<Outcome.Finished> rows) {
    int n = rows.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    String[] state = new String[n];
    String[] key = new String[n];
    String[] type = new String[n];
    String[] message = new String[n];
    Boolean[] fnError = new Boolean[n];
    Integer[] duration = new Integer[n];
    Boolean[] cold = new Boolean[n];
    Integer[] billed = new Integer[n];
    Integer[] memoryUsed = new Integer[n];
    Integer[] memorySize = new Integer[n];
    for (int i = 0; i < n; i++) {
      Outcome.Finished f = rows.get(i);
      job[i] = f.jobId();
      idx[i] = f.index();
      attempt[i] = f.attempt();
      state[i] = f.state().name();
      key[i] = f.resultKey();
      type[i] = text(f.errorType());
      message[i] = text(f.errorMessage());
      fnError[i] = f.functionError();
      duration[i] = f.durationMs();
      cold[i] = f.coldStart();
      if (f.platform() != null) {
        billed[i] = f.platform().billedMs();
        memoryUsed[i] = f.platform().memoryUsedMb();
        memorySize[i] = f.platform().memorySizeMb();
      }
    }
    jdbc.sql(FINISH)
        .params(job, idx, attempt, state, key, type, message, fnError, duration, cold, billed, memoryUsed, memorySize)
        .update();
  }

  /** Text from a worker as PostgreSQL can store it (no NUL characters). */
  private static @org.jspecify.annotations.Nullable String text(@org.jspecify.annotations.Nullable String s) {
    return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }

  private void writeRetries(List<Outcome.Retry> rows) {
    int n = rows.size();
    UUID[] job = new UUID[n];
    Integer[] idx = new Integer[n];
    Integer[] attempt = new Integer[n];
    Long[] delay = new Long[n];
    String[] type = new String[n];
    String[] message = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome.Retry r = rows.get(i);
      job[i] = r.jobId();
      idx[i] = r.index();
      attempt[i] = r.attempt();
      delay[i] = r.delay().toMillis();
      type[i] = text(r.errorType());
      message[i] = text(r.errorMessage());
    }
    jdbc.sql(RETRY).params(job, idx, attempt, delay, type, message).update();
  }
}
