package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory task store for the decision classes' unit tests: it hands out what a test put in and
 * keeps what it was asked to record. Claims take whole chunks of {@link #pending} tasks in order,
 * skipping the tenants and jobs the request names; released tasks go back to {@link #pending}. What
 * these tests do not use is refused loudly.
 */
class FakeTaskStore implements TaskStore {
  final List<ExpiredTask> expired = new ArrayList<>();
  final List<Outcome> recorded = new ArrayList<>();

  /** Runnable tasks, oldest first, as the next claim of them would hand them out. */
  final List<ClaimedTask> pending = new ArrayList<>();

  final List<ClaimRequest> claims = new ArrayList<>();
  final List<ClaimedTask> released = new ArrayList<>();
  final Map<UUID, JobRecord> specs = new HashMap<>();

  /** Reading these jobs' specs throws their error. */
  final Map<UUID, Error> brokenSpecs = new HashMap<>();

  final Map<UUID, String> messages = new HashMap<>();

  /** Runnable tasks another replica holds: {@link #hasRunnable} sees them, claims do not. */
  boolean lockedElsewhere;

  @Override
  public List<ExpiredTask> expired(Duration deadAfter, int limit) {
    List<ExpiredTask> out = List.copyOf(expired.subList(0, Math.min(limit, expired.size())));
    expired.removeAll(out);
    return out;
  }

  @Override
  public Set<UUID> record(List<? extends Outcome> outcomes) {
    recorded.addAll(outcomes);
    Set<UUID> jobs = new LinkedHashSet<>();
    outcomes.forEach(o -> jobs.add(o.jobId()));
    return jobs;
  }

  private static UnsupportedOperationException unused() {
    return new UnsupportedOperationException("not used by the decision tests");
  }

  @Override
  public boolean insert(NewJob job, List<TaskRow> rows, int maxJobsInFlight) {
    throw unused();
  }

  @Override
  public long runningJobs(String tenant) {
    throw unused();
  }

  @Override
  public Optional<JobRecord> find(String tenant, UUID id) {
    throw unused();
  }

  @Override
  public Optional<JobRecord> findWithoutCounts(String tenant, UUID id) {
    throw unused();
  }

  @Override
  public Optional<JobRecord> spec(UUID id) {
    Error broken = brokenSpecs.get(id);
    if (broken != null) {
      throw broken;
    }
    return Optional.ofNullable(specs.get(id));
  }

  @Override
  public List<JobRecord> list(String tenant, int limit) {
    throw unused();
  }

  @Override
  public Optional<JobState> state(UUID id) {
    throw unused();
  }

  @Override
  public java.util.OptionalInt retryFailed(String tenant, UUID id) {
    throw unused();
  }

  @Override
  public boolean cancel(String tenant, UUID id) {
    throw unused();
  }

  @Override
  public void setMessage(UUID id, String message) {
    messages.put(id, message);
  }

  @Override
  public int setProfileMessage(String tenant, String profile, String message) {
    throw new UnsupportedOperationException("not used by the dispatcher");
  }

  @Override
  public int openTasks(String tenant, String profile, int limit) {
    throw new UnsupportedOperationException("not used by the dispatcher");
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    claims.add(request);
    Map<String, List<ClaimedTask>> chunks = new LinkedHashMap<>();
    for (ClaimedTask t : pending) {
      if (!request.skipTenants().contains(t.tenantId())
          && !request.skipJobs().contains(t.jobId())) {
        chunks.computeIfAbsent(t.jobId() + "/" + t.chunk(), k -> new ArrayList<>()).add(t);
      }
    }
    List<ClaimedTask> out = new ArrayList<>();
    int taken = 0;
    for (List<ClaimedTask> chunk : chunks.values()) {
      if (taken == request.chunks() || out.size() + chunk.size() > request.maxRows()) {
        break;
      }
      out.addAll(chunk);
      taken++;
    }
    pending.removeAll(out);
    return out;
  }

  @Override
  public boolean hasRunnable(ClaimRequest request) {
    return lockedElsewhere
        || pending.stream()
            .anyMatch(
                t ->
                    !request.skipTenants().contains(t.tenantId())
                        && !request.skipJobs().contains(t.jobId()));
  }

  @Override
  public void release(List<ClaimedTask> tasks) {
    released.addAll(tasks);
    pending.addAll(tasks);
  }

  @Override
  public List<FinishedTask> finishedAfter(UUID job, long seq, int limit) {
    throw unused();
  }

  @Override
  public List<FinishedTask> finishedFrom(UUID job, int index, int limit) {
    throw unused();
  }

  @Override
  public java.util.Optional<String> logKey(UUID job, int index) {
    throw unused();
  }

  @Override
  public java.util.Optional<dev.quarry.server.jobs.FutureStats> futureStats(
      String tenant, UUID job, int index) {
    throw unused();
  }

  @Override
  public dev.quarry.server.jobs.JobTotals totals(String tenant, UUID job) {
    throw unused();
  }

  @Override
  public QueueCounts queueCounts() {
    throw unused();
  }

  @Override
  public Map<TaskState, Integer> counts(UUID job) {
    throw unused();
  }

  @Override
  public JobPage page(String tenant, JobQuery query, int limit) {
    throw unused();
  }

  @Override
  public List<FinishedTask> tasks(
      String tenant, UUID job, int fromIndex, boolean failedOnly, int limit) {
    throw unused();
  }

  @Override
  public Overview overview(String tenant) {
    throw unused();
  }

  @Override
  public int forgetTaskEnds() {
    throw unused();
  }

  @Override
  public List<Span> spans(String tenant, UUID job, int step, int limit) {
    throw unused();
  }
}
