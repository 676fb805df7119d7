package dev.quarry.server.dispatch;

import dev.quarry.backend.BackendException;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobRepository;
import dev.quarry.server.jobs.SubmitService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import dev.quarry.server.supervision.LoopSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the backend busy: while it has free capacity, claims runnable tasks, groups them by job
 * and chunk into invocations, and hands outcomes to the {@link OutcomeRecorder}. Wakes on local
 * submits, on NOTIFY from other replicas, when an invocation ends, and on a fallback poll.
 */
@Component
public class Dispatcher implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final BackendRegistry backends;
  private final LaneBudgets budgets = new LaneBudgets();
  /** Room to claim work of profiles whose backend is not open yet. */
  private static final int DISCOVERY_SLOTS = 1;
  private final TaskClaimer claimer;
  private final EnvelopeFactory envelopes;
  private final OutcomeMapper mapper;
  private final OutcomeRecorder recorder;
  private final JobRepository jobs;
  private final QuarryProperties props;
  private final String owner;
  private final ReplicaHeartbeat replica;
  private static final int MAX_BACKLOG_FACTOR = 16;
  private static final double BACKLOG_MS = 500;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile double avgInvocationMs = 100;
  private int lostRace;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Map<UUID, JobRecord> specs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tenantInFlight = new ConcurrentHashMap<>();
  private final java.util.Set<String> saturated = ConcurrentHashMap.newKeySet();
  private final dev.quarry.server.limits.LimitsService limits;
  static final String LOOP = "quarry-dispatcher";
  private final LoopSupervisor supervisor;
  private volatile boolean running;
  private boolean signalled;
  private Thread thread = new Thread(() -> {});

  Dispatcher(
      BackendRegistry backends,
      TaskClaimer claimer,
      EnvelopeFactory envelopes,
      OutcomeMapper mapper,
      OutcomeRecorder recorder,
      JobRepository jobs,
      SubmitService submits,
      QuarryProperties props,
      ReplicaHeartbeat replica,
      dev.quarry.server.limits.LimitsService limits,
      LoopSupervisor supervisor) {
    this.limits = limits;
    this.supervisor = supervisor;
    this.backends = backends;
    this.claimer = claimer;
    this.envelopes = envelopes;
    this.mapper = mapper;
    this.recorder = recorder;
    this.jobs = jobs;
    this.props = props;
    this.replica = replica;
    this.owner = replica.owner();
    submits.onSubmit(this::wakeUp);
    recorder.onRetry(this::wakeUp);
  }

  /** The lease owner name of this replica. */
  public String owner() {
    return owner;
  }

  /** Asks the dispatcher to look for work now. */
  public void wakeUp() {
    lock.lock();
    try {
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    replica.beat();
    running = true;
    thread = supervisor.start(LOOP, () -> running, this::loop);
  }

  @Override
  public void stop() {
    running = false;
    supervisor.stopped(LOOP);
    wakeUp();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      replica.leave();
    } catch (RuntimeException e) {
      log.warn("Could not remove this replica's heartbeat: {}", e.toString());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 200;
  }

  private void loop() throws InterruptedException {
    while (running) {
      try {
        // Claim in batches: wait until a quarter of the capacity is free (or nothing runs), so
        // one statement claims several chunks instead of one statement per finished invocation.
        int capacity = limit();
        int free = capacity - inFlight.get();
        boolean worthIt = free >= Math.max(1, capacity / 4) || free == capacity;
        int dispatched = worthIt ? dispatchOnce(free) : 0;
        supervisor.roundSucceeded(LOOP);
        if (dispatched == 0 || inFlight.get() >= capacity) {
          awaitWake();
        }
      } catch (RuntimeException e) {
        log.warn("Dispatch round failed; retrying shortly: {}", e.toString());
        supervisor.roundFailed(LOOP, e);
        sleepQuietly(500);
      }
    }
  }

  private int dispatchOnce(int freeSlots) {
    List<ClaimedTask> claimed =
        claimer.claim(
            owner, freeSlots, props.dispatch().maxClaimRows(), props.dispatch().leaseGrace(),
            saturated.toArray(String[]::new), budgets.parked());
    if (claimed.isEmpty()) {
      if (lostRace++ < 3 && claimer.hasRunnable()) {
        sleepQuietly(5);
        return dispatchOnce(freeSlots);
      }
      lostRace = 0;
      return 0;
    }
    lostRace = 0;
    Map<String, List<ClaimedTask>> groups = new LinkedHashMap<>();
    for (ClaimedTask t : claimed) {
      groups.computeIfAbsent(t.jobId() + "/" + t.chunk(), k -> new ArrayList<>()).add(t);
    }
    List<ClaimedTask> overQuota = new ArrayList<>();
    int invoked = 0;
    for (List<ClaimedTask> group : groups.values()) {
      try {
        invoked += dispatchGroup(group, overQuota);
      } catch (Throwable t) {
        // Whatever one job's lane throws (even an Error while building its decorator) fails
        // that job's tasks with a message and never the round, so other tenants keep going.
        failGroup(group, t);
      }
    }
    if (!overQuota.isEmpty()) {
      claimer.release(overQuota);
    }
    return invoked;
  }

  /** Invokes one group of tasks (one job's chunk), or parks it; 1 if it was invoked. */
  private int dispatchGroup(List<ClaimedTask> group, List<ClaimedTask> overQuota) {
    String tenant = group.get(0).tenantId();
    JobRecord job = spec(group.get(0).jobId());
    BackendRegistry.Lane lane;
    try {
      lane = backends.lane(tenant, job.profile());
    } catch (BackendException e) {
      log.warn("Job {} cannot run on profile {}: {}", job.id(), job.profile(), e.getMessage());
      jobs.setMessage(job.id(), clip(e.getMessage()));
      recorder.add(mapper.fromFailure(job, group, e));
      return 0;
    }
    AtomicInteger running = tenantInFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
    if (running.get() >= limits.of(tenant).maxConcurrentInvocations()) {
      saturated.add(tenant);
      overQuota.addAll(group);
      return 0;
    }
    if (!budgets.tryAcquire(lane.budget(), budgetLimit(lane.budget(), lane.backend().capacity()))) {
      budgets.park(lane.budget(), job.id());
      overQuota.addAll(group);
      return 0;
    }
    running.incrementAndGet();
    invoke(job, lane, group);
    return 1;
  }

  private void failGroup(List<ClaimedTask> group, Throwable t) {
    UUID jobId = group.get(0).jobId();
    String message = "dispatch failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
    log.error("Job {} could not be dispatched; failing its tasks", jobId, t);
    try {
      JobRecord job = spec(jobId);
      jobs.setMessage(jobId, clip(message));
      recorder.add(mapper.fromFailure(job, group, new BackendException(BackendException.Kind.PERMANENT, clip(message), t)));
    } catch (Throwable again) {
      // cannot even read the job: give the tasks back; their lease or the reaper decides later
      log.error("Could not fail job {}'s tasks: {}", jobId, again.toString());
      claimer.release(group);
    }
  }

  private static String clip(@org.jspecify.annotations.Nullable String message) {
    String m = String.valueOf(message);
    return m.length() > 1000 ? m.substring(0, 1000) + "..." : m;
  }

  private void invoke(JobRecord job, BackendRegistry.Lane lane, List<ClaimedTask> tasks) {
    inFlight.incrementAndGet();
    TaskEnvelope envelope;
    try {
      envelope = envelopes.build(job, tasks, lane.inlineInputBytes());
    } catch (Throwable e) {
      recorder.add(mapper.fromFailure(job, tasks, e));
      finished(job, lane);
      return;
    }
    java.util.concurrent.CompletableFuture<dev.quarry.proto.v1.InvocationSummary> call;
    try {
      call = lane.backend().invoke(envelope);
    } catch (Throwable t) {
      recorder.add(mapper.fromFailure(job, tasks,
          new BackendException(BackendException.Kind.PERMANENT, "the backend refused the invocation: " + t, t)));
      finished(job, lane);
      return;
    }
    call
        .whenComplete(
            (summary, error) -> {
              try {
                if (summary != null) {
                  observe(summary);
                }
                recorder.add(
                    error == null
                        ? mapper.fromSummary(job, tasks, summary)
                        : mapper.fromFailure(job, tasks, error));
                if (error != null) {
                  log.info("Invocation of job {} failed: {}", job.id(), error.toString());
                }
              } finally {
                finished(job, lane);
              }
            });
  }

  private void finished(JobRecord job, BackendRegistry.Lane lane) {
    inFlight.decrementAndGet();
    budgets.release(lane.budget());
    int left = tenantInFlight.get(job.tenantId()).decrementAndGet();
    if (left < limits.of(job.tenantId()).maxConcurrentInvocations()) {
      saturated.remove(job.tenantId());
    }
    wakeUp();
  }

  /**
   * How many invocations to keep open: the backend's slots plus a backlog of about half a second
   * of work at the recent invocation time (so fast invocations never wait for the next claim,
   * and slow ones are not queued past their lease).
   */
  private int limit() {
    int total = DISCOVERY_SLOTS;
    for (var budget : backends.budgets().entrySet()) {
      total += budgetLimit(budget.getKey(), budget.getValue());
    }
    return total;
  }

  /** Platform budgets run exactly their capacity; the local pool also queues a short backlog. */
  private int budgetLimit(String budget, int slots) {
    if (!budgets.isLocal(budget)) {
      return slots;
    }
    double avg = Math.max(0.05, avgInvocationMs);
    int backlog = (int) Math.min(slots * (double) MAX_BACKLOG_FACTOR, slots * BACKLOG_MS / avg);
    return slots + backlog;
  }

  private void observe(dev.quarry.proto.v1.InvocationSummary summary) {
    long ms = summary.getEndMs() - summary.getStartMs();
    if (ms >= 0) {
      avgInvocationMs = avgInvocationMs * 0.9 + ms * 0.1;
    }
  }

  private JobRecord spec(UUID job) {
    if (specs.size() > 10_000) {
      specs.clear();
    }
    return specs.computeIfAbsent(
        job, id -> jobs.spec(id).orElseThrow(() -> new IllegalStateException("no job " + id)));
  }

  private void awaitWake() throws InterruptedException {
    lock.lock();
    try {
      if (!signalled) {
        wake.await(props.dispatch().pollInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } finally {
      lock.unlock();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
