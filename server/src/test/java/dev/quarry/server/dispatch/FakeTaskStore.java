package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory task store for the decision classes' unit tests: it hands out what a test put in and
 * keeps what it was asked to record. What these tests do not use is refused loudly.
 */
class FakeTaskStore implements TaskStore {
  final List<ExpiredTask> expired = new ArrayList<>();
  final List<Outcome> recorded = new ArrayList<>();

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
    throw unused();
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
    throw unused();
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    throw unused();
  }

  @Override
  public boolean hasRunnable() {
    throw unused();
  }

  @Override
  public void release(List<ClaimedTask> tasks) {
    throw unused();
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
  public QueueCounts queueCounts() {
    throw unused();
  }

  @Override
  public Map<TaskState, Integer> counts(UUID job) {
    throw unused();
  }
}
