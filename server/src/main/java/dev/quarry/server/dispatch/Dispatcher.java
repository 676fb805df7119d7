package dev.quarry.server.dispatch;

import dev.quarry.backend.BackendException;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.supervision.LoopSupervisor;
import dev.quarry.server.supervision.SupervisedLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the backends busy: while they have free capacity, claims runnable tasks, groups them by job
 * and chunk, and starts an invocation per group on the job's lane (within the lane's budget and the
 * tenant's quota; what does not fit is given back). Waits on the {@link WorkSignal} between rounds,
 * or the poll interval at most.
 *
 * <p>A round that claimed fewer chunks than it asked for, skipped no tenant or job and gave nothing
 * back has drained what is claimable: the loop then waits for a signal instead of claiming again at
 * once, and an invocation that ends does not wake it (the slots it frees have nothing to take; new
 * work signals by itself). Any other round leaves the wake on invocation end on.
 *
 * <p>Long because the loop's lifecycle (wake, phase, stop) and one round (claim, group, start, give
 * back, fail a group) share the capacity and budget state of the dispatcher.
 */
@Component
public class Dispatcher extends SupervisedLoop {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Room to claim work of profiles whose backend is not open yet. */
  private static final int DISCOVERY_SLOTS = 1;

  /** Visible for tests. */
  static final int MAX_LOST_RACES = 3;

  static final String LOOP = "quarry-dispatcher";

  private final BackendRegistry backends;
  private final TaskStore tasks;
  private final JobSpecs specs;
  private final Invocations invocations;
  private final LaneBudgets budgets;
  private final TenantConcurrency tenants;
  private final AdaptiveBacklog backlog;
  private final OutcomeMapper mapper;
  private final OutcomeRecorder recorder;
  private final WorkSignal work;
  private final QuarryProperties props;
  private final String owner;
  private int lostRace;

  /** Whether the last round may have left claimable work behind (for lack of slots). */
  private boolean leftWork = true;

  Dispatcher(
      BackendRegistry backends,
      TaskStore tasks,
      JobSpecs specs,
      Invocations invocations,
      LaneBudgets budgets,
      TenantConcurrency tenants,
      AdaptiveBacklog backlog,
      OutcomeMapper mapper,
      OutcomeRecorder recorder,
      WorkSignal work,
      QuarryProperties props,
      ReplicaHeartbeat replica,
      LoopSupervisor supervisor) {
    super(supervisor, LOOP);
    this.backends = backends;
    this.tasks = tasks;
    this.specs = specs;
    this.invocations = invocations;
    this.budgets = budgets;
    this.tenants = tenants;
    this.backlog = backlog;
    this.mapper = mapper;
    this.recorder = recorder;
    this.work = work;
    this.props = props;
    this.owner = replica.owner();
  }

  /** The lease owner name of this replica. */
  public String owner() {
    return owner;
  }

  @Override
  protected void wake(Thread loopThread) {
    work.wakeUp();
  }

  @Override
  public int getPhase() {
    return 200;
  }

  @Override
  protected void loop() throws InterruptedException {
    while (running()) {
      try {
        // Claim in batches: wait until a quarter of the capacity is free (or nothing runs), so
        // one statement claims several chunks instead of one statement per finished invocation.
        // until a round proves otherwise, an invocation that ends may free a slot work waits for
        leftWork = true;
        invocations.wakeOnEnd(true);
        int capacity = capacity();
        int free = capacity - invocations.inFlight();
        boolean worthIt = free >= Math.max(1, capacity / 4) || free == capacity;
        int dispatched = worthIt ? dispatchOnce(free) : 0;
        supervisor().roundSucceeded(LOOP);
        invocations.wakeOnEnd(leftWork);
        if (dispatched == 0 || !leftWork || invocations.inFlight() >= capacity) {
          work.await(props.dispatch().pollInterval());
        }
      } catch (RuntimeException e) {
        log.warn("Dispatch round failed; retrying shortly: {}", e.toString());
        supervisor().roundFailed(LOOP, e);
        Thread.sleep(500);
      }
    }
  }

  /**
   * Drains on stop: the loop has stopped claiming; running invocations get {@code
   * quarry.shutdown.drain-timeout} to finish (their outcomes are recorded as usual), and what is
   * still running then is handed back to the queue without spending its attempt, so another replica
   * runs it at once instead of waiting for the lease reaper.
   */
  @Override
  protected void afterStop() {
    Duration timeout = props.shutdown().drainTimeout();
    int running = invocations.inFlight();
    boolean idle;
    try {
      idle = invocations.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (idle) {
      if (running > 0) {
        log.info("Drained: the {} invocations running at stop finished", running);
      }
      return;
    }
    List<ClaimedTask> rest = invocations.handBack();
    try {
      tasks.release(rest);
      log.info(
          "Drain timeout ({}) reached: handed {} running tasks back to the queue",
          timeout,
          rest.size());
    } catch (RuntimeException e) {
      // the database is unreachable: the lease reaper of another replica reclaims them
      log.warn("Could not hand {} tasks back: {}", rest.size(), e.toString());
    }
  }

  /** One dispatch round; visible for tests. */
  int dispatchOnce(int freeSlots) throws InterruptedException {
    ClaimRequest request =
        new ClaimRequest(
            owner,
            freeSlots,
            props.dispatch().maxClaimRows(),
            props.dispatch().leaseGrace(),
            tenants.saturated(),
            budgets.parked());
    List<ClaimedTask> claimed = tasks.claim(request);
    if (claimed.isEmpty()) {
      // another replica locked the runnable chunks first: look again at once, a few times
      if (lostRace++ < MAX_LOST_RACES && tasks.hasRunnable(request)) {
        Thread.sleep(5);
        return dispatchOnce(freeSlots);
      }
      leftWork = lostRace > MAX_LOST_RACES || skipsAny(request);
      lostRace = 0;
      return 0;
    }
    lostRace = 0;
    Map<String, List<ClaimedTask>> groups = new LinkedHashMap<>();
    for (ClaimedTask t : claimed) {
      groups.computeIfAbsent(t.jobId() + "/" + t.chunk(), k -> new ArrayList<>()).add(t);
    }
    List<ClaimedTask> giveBack = new ArrayList<>();
    int invoked = 0;
    for (List<ClaimedTask> group : groups.values()) {
      try {
        invoked += dispatchGroup(group, giveBack);
      } catch (Throwable t) {
        // Whatever one job's lane throws (even an Error while building its decorator) fails
        // that job's tasks with a message and never the round, so other tenants keep going.
        failGroup(group, t);
      }
    }
    if (!giveBack.isEmpty()) {
      tasks.release(giveBack);
    }
    leftWork =
        groups.size() >= request.chunks()
            || claimed.size() >= request.maxRows()
            || !giveBack.isEmpty()
            || skipsAny(request);
    return invoked;
  }

  /** Whether the last round may have left claimable work behind; visible for tests. */
  boolean leftWork() {
    return leftWork;
  }

  private static boolean skipsAny(ClaimRequest request) {
    return !request.skipTenants().isEmpty() || !request.skipJobs().isEmpty();
  }

  /** Invokes one group (one job's chunk), or gives it back; 1 if it was invoked. */
  private int dispatchGroup(List<ClaimedTask> group, List<ClaimedTask> giveBack) {
    JobRecord job = specs.get(group.get(0).jobId());
    BackendRegistry.Lane lane;
    try {
      lane = backends.lane(job.tenantId(), job.profile());
    } catch (BackendException e) {
      log.warn("Job {} cannot run on profile {}: {}", job.id(), job.profile(), e.getMessage());
      tasks.setMessage(job.id(), clip(e.getMessage()));
      recorder.add(mapper.fromFailure(job, group, e));
      return 0;
    }
    if (!tenants.tryAcquire(job.tenantId())) {
      giveBack.addAll(group);
      return 0;
    }
    if (!budgets.tryAcquireOrPark(
        lane.budget(), backlog.limit(lane.backend().capacity(), lane.queuesBacklog()), job.id())) {
      tenants.release(job.tenantId());
      giveBack.addAll(group);
      return 0;
    }
    invocations.invoke(job, lane, group);
    return 1;
  }

  private void failGroup(List<ClaimedTask> group, Throwable t) {
    UUID jobId = group.get(0).jobId();
    String message = "dispatch failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
    log.error("Job {} could not be dispatched; failing its tasks", jobId, t);
    try {
      JobRecord job = specs.get(jobId);
      tasks.setMessage(jobId, clip(message));
      recorder.add(
          mapper.fromFailure(
              job, group, new BackendException(BackendException.Kind.PERMANENT, clip(message), t)));
    } catch (Throwable again) {
      // cannot even read the job: give the tasks back; their lease or the reaper decides later
      log.error("Could not fail job {}'s tasks: {}", jobId, again.toString());
      tasks.release(group);
    }
  }

  /** How many invocations to keep open over all lanes. */
  private int capacity() {
    int total = DISCOVERY_SLOTS;
    for (var budget : backends.budgets().entrySet()) {
      total += backlog.limit(budget.getValue(), backends.queuesBacklog(budget.getKey()));
    }
    return total;
  }

  private static String clip(@Nullable String message) {
    String m = String.valueOf(message);
    return m.length() > 1000 ? m.substring(0, 1000) + "..." : m;
  }
}
