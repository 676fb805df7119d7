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
      dev.quarry.server.limits.LimitsService limits) {
    this.limits = limits;
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
    thread = Thread.ofPlatform().name("quarry-dispatcher").daemon().start(this::loop);
  }

  @Override
  public void stop() {
    running = false;
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

  private void loop() {
    while (running) {
      try {
        // Claim in batches: wait until a quarter of the capacity is free (or nothing runs), so
        // one statement claims several chunks instead of one statement per finished invocation.
        int capacity = limit();
        int free = capacity - inFlight.get();
        boolean worthIt = free >= Math.max(1, capacity / 4) || free == capacity;
        int dispatched = worthIt ? dispatchOnce(free) : 0;
        if (dispatched == 0 || inFlight.get() >= capacity) {
          awaitWake();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Dispatch round failed; retrying shortly: {}", e.toString());
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
      String tenant = group.get(0).tenantId();
      JobRecord job = spec(group.get(0).jobId());
      BackendRegistry.Lane lane;
      try {
        lane = backends.lane(tenant, job.profile());
      } catch (BackendException e) {
        log.warn("Job {} cannot run on profile {}: {}", job.id(), job.profile(), e.getMessage());
        recorder.add(mapper.fromFailure(job, group, e));
        continue;
      }
      AtomicInteger running = tenantInFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
      if (running.get() >= limits.of(tenant).maxConcurrentInvocations()) {
        saturated.add(tenant);
        overQuota.addAll(group);
        continue;
      }
      if (!budgets.tryAcquire(lane.budget(), budgetLimit(lane.budget(), lane.backend().capacity()))) {
        budgets.park(lane.budget(), job.id());
        overQuota.addAll(group);
        continue;
      }
      running.incrementAndGet();
      invoke(job, lane, group);
      invoked++;
    }
    if (!overQuota.isEmpty()) {
      claimer.release(overQuota);
    }
    return invoked;
  }

  private void invoke(JobRecord job, BackendRegistry.Lane lane, List<ClaimedTask> tasks) {
    inFlight.incrementAndGet();
    TaskEnvelope envelope;
    try {
      envelope = envelopes.build(job, tasks, lane.inlineInputBytes());
    } catch (RuntimeException e) {
      recorder.add(mapper.fromFailure(job, tasks, e));
      finished(job, lane);
      return;
    }
    lane.backend()
        .invoke(envelope)
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
