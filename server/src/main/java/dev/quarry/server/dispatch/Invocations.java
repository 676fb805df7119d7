package dev.quarry.server.dispatch;

import dev.quarry.backend.BackendException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.server.backend.BackendRegistry.Lane;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.WorkSignal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs one invocation of a claimed chunk on its lane and hands what happened to the {@link
 * OutcomeRecorder}; when it ends, gives back the slots the dispatcher took (the lane's budget, the
 * tenant's quota) and wakes the dispatcher if work may be waiting for them.
 */
@Component
class Invocations {
  private static final Logger log = LoggerFactory.getLogger(Invocations.class);

  private final EnvelopeFactory envelopes;
  private final OutcomeMapper mapper;
  private final OutcomeRecorder recorder;
  private final LaneBudgets budgets;
  private final TenantConcurrency tenants;
  private final AdaptiveBacklog backlog;
  private final WorkSignal work;
  private final ObjectProvider<MeterRegistry> meters;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong nextId = new AtomicLong();

  /** The claimed tasks of each invocation in flight, until it ends or is handed back. */
  private final Map<Long, List<ClaimedTask>> held = new ConcurrentHashMap<>();

  private final Object idle = new Object();

  /** Whether an invocation that ends wakes the dispatcher; see {@link Dispatcher}. */
  private volatile boolean wakeOnEnd = true;

  Invocations(
      EnvelopeFactory envelopes,
      OutcomeMapper mapper,
      OutcomeRecorder recorder,
      LaneBudgets budgets,
      TenantConcurrency tenants,
      AdaptiveBacklog backlog,
      WorkSignal work,
      ObjectProvider<MeterRegistry> meters) {
    this.meters = meters;
    this.envelopes = envelopes;
    this.mapper = mapper;
    this.recorder = recorder;
    this.budgets = budgets;
    this.tenants = tenants;
    this.backlog = backlog;
    this.work = work;
  }

  /**
   * Whether the dispatcher wants a wake-up when an invocation ends: false after a round that
   * drained every claimable chunk, true when work may be waiting for a slot.
   */
  void wakeOnEnd(boolean wake) {
    this.wakeOnEnd = wake;
  }

  /** Invocations started and not ended yet, on every lane. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Invokes {@code tasks} (one chunk of {@code job}) on {@code lane}. The caller has taken a slot
   * of the lane's budget and of the tenant's quota; they are given back when the invocation ends,
   * whatever happens.
   */
  void invoke(JobRecord job, Lane lane, List<ClaimedTask> tasks) {
    inFlight.incrementAndGet();
    long id = nextId.incrementAndGet();
    held.put(id, tasks);
    TaskEnvelope envelope;
    try {
      envelope = envelopes.build(job, tasks);
    } catch (Throwable t) {
      // e.g. storage unreachable while writing the function's manifest: retried as transient
      held.remove(id);
      recorder.add(mapper.fromFailure(job, tasks, t));
      ended(job, lane);
      return;
    }
    CompletableFuture<InvocationSummary> call;
    try {
      call = lane.backend().invoke(envelope);
    } catch (Throwable t) {
      held.remove(id);
      recorder.add(
          mapper.fromFailure(
              job,
              tasks,
              new BackendException(
                  BackendException.Kind.PERMANENT, "the backend refused the invocation: " + t, t)));
      ended(job, lane);
      return;
    }
    call.whenComplete(
        (summary, error) -> {
          try {
            if (held.remove(id) == null) {
              // handed back while stopping: the tasks may already run elsewhere under the same
              // attempt number, so this late answer must not be recorded for them
              return;
            }
            if (summary != null) {
              backlog.observe(summary);
            }
            // counted before its outcomes are recorded: a client that saw them sees the count
            count(job, error == null && !summary.hasInvocationError());
            recorder.add(
                error == null
                    ? mapper.fromSummary(job, tasks, summary)
                    : mapper.fromFailure(job, tasks, error));
            if (error != null) {
              log.info("Invocation of job {} failed: {}", job.id(), error.toString());
            }
          } finally {
            ended(job, lane);
          }
        });
  }

  /**
   * {@code quarry.invocations{tenant, outcome}}: invocations that reached a backend and answered
   * (outcome {@code answered}) or failed on the way or before running any task ({@code failed}).
   */
  private void count(JobRecord job, boolean answered) {
    MeterRegistry registry = meters.getIfAvailable();
    if (registry != null) {
      Counter.builder("quarry.invocations")
          .description("Invocations sent to a backend, by tenant and outcome")
          .tag("tenant", job.tenantId())
          .tag("outcome", answered ? "answered" : "failed")
          .register(registry)
          .increment();
    }
  }

  private void ended(JobRecord job, Lane lane) {
    int left = inFlight.decrementAndGet();
    budgets.release(lane.budget());
    tenants.release(job.tenantId());
    if (wakeOnEnd) {
      work.wakeUp();
    }
    if (left == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /**
   * Waits until no invocation is in flight, or {@code timeout}; true if none is. For a stopping
   * replica, after the dispatcher stopped starting new ones.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  /**
   * The tasks of every invocation still in flight, which from now on record nothing when they end:
   * a stopping replica gives them back to the queue.
   */
  List<ClaimedTask> handBack() {
    List<ClaimedTask> tasks = new ArrayList<>();
    for (Long id : List.copyOf(held.keySet())) {
      List<ClaimedTask> group = held.remove(id);
      if (group != null) {
        tasks.addAll(group);
      }
    }
    return tasks;
  }
}
