package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.FutureStats;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.JobTotals;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.WorkSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL task store. Its statements live in one class per concern (inserting, claiming,
 * recording outcomes, whole jobs, result pages), all in this package and nowhere else.
 *
 * <p>Long because it is the one facade of {@link TaskStore}: each method picks its statements'
 * class and its transaction, nothing more.
 */
@Repository
public class PgTaskStore implements TaskStore {
  private final TransactionTemplate tx;
  private final TaskInsert inserts;
  private final ClaimStatements claims;
  private final OutcomeStatements outcomes;
  private final JobStatements jobs;
  private final ResultStatements results;
  private final RetryStatements retries;
  private final DashboardStatements dashboard;
  private final StatsStatements stats;

  public PgTaskStore(
      JdbcClient jdbc, DataSource dataSource, TransactionTemplate tx, WorkSignal work) {
    this.tx = tx;
    this.inserts = new TaskInsert(jdbc, dataSource, tx, work.origin());
    this.claims = new ClaimStatements(jdbc);
    this.outcomes = new OutcomeStatements(jdbc);
    this.jobs = new JobStatements(jdbc);
    this.results = new ResultStatements(jdbc);
    this.retries = new RetryStatements(jdbc);
    this.dashboard = new DashboardStatements(jdbc);
    this.stats = new StatsStatements(jdbc);
  }

  @Override
  public boolean insert(NewJob job, List<TaskRow> rows, int maxJobsInFlight) {
    return inserts.insert(job, rows, maxJobsInFlight);
  }

  @Override
  public long runningJobs(String tenant) {
    return jobs.running(tenant);
  }

  @Override
  public Optional<JobRecord> find(String tenant, UUID id) {
    return jobs.find(tenant, id);
  }

  @Override
  public Optional<JobRecord> findWithoutCounts(String tenant, UUID id) {
    return jobs.find(tenant, id);
  }

  @Override
  public Optional<JobRecord> spec(UUID id) {
    return jobs.spec(id);
  }

  @Override
  public List<JobRecord> list(String tenant, int limit) {
    return jobs.list(tenant, limit);
  }

  @Override
  public JobPage page(String tenant, JobQuery query, int limit) {
    return dashboard.page(tenant, query, limit);
  }

  @Override
  public List<FinishedTask> tasks(
      String tenant, UUID job, int fromIndex, boolean failedOnly, int limit) {
    return dashboard.tasks(tenant, job, fromIndex, failedOnly, limit);
  }

  @Override
  public Overview overview(String tenant) {
    return dashboard.overview(tenant);
  }

  @Override
  public int forgetTaskEnds() {
    return dashboard.forgetEnds();
  }

  @Override
  public List<Span> spans(String tenant, UUID job, int step, int limit) {
    return dashboard.spans(tenant, job, step, limit);
  }

  @Override
  public Optional<JobState> state(UUID id) {
    return jobs.state(id);
  }

  @Override
  public Map<TaskState, Integer> counts(UUID job) {
    return jobs.counts(job);
  }

  @Override
  public boolean cancel(String tenant, UUID id) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              jobs.lockForUpdate(List.of(id));
              return jobs.cancel(tenant, id);
            }));
  }

  @Override
  public OptionalInt retryFailed(String tenant, UUID id) {
    return tx.execute(
        s -> {
          jobs.lockForUpdate(List.of(id));
          return retries.retryFailed(tenant, id);
        });
  }

  @Override
  public void setMessage(UUID id, String message) {
    jobs.setMessage(id, message);
  }

  @Override
  public int setProfileMessage(String tenant, String profile, String message) {
    return jobs.setProfileMessage(tenant, profile, message);
  }

  @Override
  public int openTasks(String tenant, String profile, int limit) {
    return jobs.openTasks(tenant, profile, limit);
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    return claims.claim(request);
  }

  @Override
  public boolean hasRunnable(ClaimRequest request) {
    return claims.hasRunnable(request);
  }

  @Override
  public void release(List<ClaimedTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    tx.executeWithoutResult(
        s -> {
          jobs.lockForUpdate(tasks.stream().map(ClaimedTask::jobId).distinct().toList());
          claims.release(tasks);
        });
  }

  @Override
  public Set<UUID> record(List<? extends Outcome> batch) {
    List<Outcome.Finished> finished = new ArrayList<>();
    List<Outcome.Retry> retries = new ArrayList<>();
    List<Outcome.Requeue> requeues = new ArrayList<>();
    Map<UUID, String> waiting = new LinkedHashMap<>();
    Set<UUID> touched = new LinkedHashSet<>();
    for (Outcome o : batch) {
      touched.add(o.jobId());
      switch (o) {
        case Outcome.Finished f -> finished.add(f);
        case Outcome.Retry r -> retries.add(r);
        case Outcome.Requeue q -> {
          requeues.add(q);
          waiting.putIfAbsent(q.jobId(), q.reason());
        }
      }
    }
    // One transaction: a job's last results and its terminal state become visible together. The
    // jobs' rows are locked first (in id order, as cancel does) so that two writers finishing the
    // last tasks of one job cannot each miss the other's rows.
    tx.executeWithoutResult(
        status -> {
          jobs.lockForUpdate(touched);
          if (!finished.isEmpty()) {
            outcomes.finished(finished);
          }
          if (!retries.isEmpty()) {
            outcomes.retries(retries);
          }
          if (!requeues.isEmpty()) {
            outcomes.requeues(requeues);
          }
          waiting.forEach(jobs::setMessage);
          jobs.finishIfDone(touched);
        });
    return touched;
  }

  @Override
  public List<ExpiredTask> expired(Duration deadAfter, int limit) {
    return claims.expired(deadAfter, limit);
  }

  @Override
  public List<FinishedTask> finishedAfter(UUID job, long seq, int limit) {
    return results.afterSeq(job, seq, limit);
  }

  @Override
  public List<FinishedTask> finishedFrom(UUID job, int index, int limit) {
    return results.fromIndex(job, index, limit);
  }

  @Override
  public Optional<String> logKey(UUID job, int index) {
    return results.logKey(job, index);
  }

  @Override
  public Optional<FutureStats> futureStats(String tenant, UUID job, int index) {
    return stats.future(tenant, job, index);
  }

  @Override
  public JobTotals totals(String tenant, UUID job) {
    return stats.totals(tenant, job);
  }

  @Override
  public QueueCounts queueCounts() {
    return jobs.queueCounts();
  }
}
