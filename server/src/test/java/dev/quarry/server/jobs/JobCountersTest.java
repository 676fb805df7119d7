package dev.quarry.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The per-state counters on the job row (V13's triggers) always equal a count over the tasks, under
 * every writer of tasks.state racing on one database: claims of two replicas, outcomes of every
 * kind, hand-backs, a cancel in the middle, retry-failed. A deadlock between writers that lock in
 * different orders would fail a writer here (PostgreSQL aborts one of them).
 */
class JobCountersTest {
  static StoreDatabase db;
  static JdbcClient jdbc;
  static TaskStore store;

  @BeforeAll
  static void database() throws Exception {
    db = StoreDatabase.create(8);
    jdbc = db.jdbc();
    store = db.store();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void countersMatchTheTasksWhileEveryWriterRaces() throws Exception {
    // the older job is claimed first: it is cancelled while its tasks are claimed and recorded
    UUID cancelled = insertJob(2000, 5);
    UUID big = insertJob(3000, 5);
    assertThat(store.counts(big)).isEqualTo(Map.of(TaskState.PENDING, 3000));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (String owner : List.of("replica-a", "replica-b", "replica-c")) {
      workers.add(
          pool.submit(
              () -> {
                int round = 0;
                while (true) {
                  List<ClaimedTask> got = store.claim(request(owner));
                  if (got.isEmpty()) {
                    if (!store.hasRunnable(request(owner))) {
                      return null;
                    }
                    continue;
                  }
                  round++;
                  // every kind of write: results, failures, retries, requeues, a hand-back
                  List<Outcome> outcomes = new ArrayList<>();
                  List<ClaimedTask> giveBack = new ArrayList<>();
                  for (ClaimedTask t : got) {
                    if (t.index() % 50 == 7) { // some fail for good, whatever the race
                      outcomes.add(finished(t, TaskState.FAILED, owner));
                      continue;
                    }
                    switch ((t.index() + round) % 6) {
                      case 0, 1, 2 -> outcomes.add(finished(t, TaskState.SUCCEEDED, owner));
                      case 3 ->
                          outcomes.add(
                              t.attempt() < 3
                                  ? new Outcome.Retry(
                                      t.id(), t.attempt(), Duration.ZERO, "T", "again", null)
                                  : finished(t, TaskState.FAILED, owner));
                      case 4 ->
                          outcomes.add(
                              t.attempt() < 3
                                  ? new Outcome.Requeue(
                                      t.id(), t.attempt(), Duration.ZERO, "waiting: test")
                                  : finished(t, TaskState.SUCCEEDED, owner));
                      default -> giveBack.add(t);
                    }
                  }
                  store.release(giveBack);
                  store.record(outcomes);
                }
              }));
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(5))
        .failFast("a writer ended early", () -> workers.stream().anyMatch(Future::isDone))
        .until(() -> store.counts(cancelled).getOrDefault(TaskState.SUCCEEDED, 0) >= 50);
    assertThat(store.cancel("default", cancelled)).isTrue();
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();

    assertThat(store.counts(big)).isEqualTo(countTasks(big));
    assertThat(store.counts(cancelled)).isEqualTo(countTasks(cancelled));
    assertThat(store.counts(cancelled)).containsKey(TaskState.CANCELLED);
    JobRecord done = store.find("default", big).orElseThrow();
    // every 50th task fails at once (and a task in case 3 at its third attempt)
    assertThat(done.counts().get(TaskState.FAILED)).isGreaterThanOrEqualTo(3000 / 50);
    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3000);
    assertThat(done.counts()).doesNotContainKeys(TaskState.PENDING, TaskState.RUNNING);
    // each task ended once (retries and requeues went back to PENDING without ending)
    assertThat(ended(big)).isEqualTo(3000);

    // retry-failed moves the failed ones back to PENDING, on the row as well
    int failed = done.counts().get(TaskState.FAILED);
    assertThat(store.retryFailed("default", big).orElseThrow()).isEqualTo(failed);
    JobRecord reopened = store.find("default", big).orElseThrow();
    assertThat(reopened.state()).isEqualTo(JobState.RUNNING);
    assertThat(reopened.counts()).isEqualTo(countTasks(big));
    assertThat(reopened.counts().get(TaskState.PENDING)).isEqualTo(failed);
    assertThat(store.cancel("default", big)).isTrue();
    assertThat(store.counts(big)).isEqualTo(countTasks(big)).doesNotContainKey(TaskState.PENDING);
    // retried failures did not end again; cancelling them did
    assertThat(ended(big)).isEqualTo(3000 + failed);
  }

  @Test
  void theOverviewReadsEndedFuturesFromBucketsTheTriggerKeepsAndOldOnesAreDeleted() {
    String tenant = "t-ends-" + UUID.randomUUID().toString().substring(0, 8);
    jdbc.sql("insert into tenants (id, name) values (?, ?)").params(tenant, tenant).update();
    UUID job = insertJob(tenant, 8, 8);
    List<ClaimedTask> got = store.claim(request("replica-e"));
    assertThat(got).hasSize(8);
    List<Outcome> outcomes = new ArrayList<>();
    for (ClaimedTask t : got) {
      outcomes.add(
          switch (t.index() % 4) {
            case 0 -> finished(t, TaskState.FAILED, "w");
            case 1 -> new Outcome.Retry(t.id(), t.attempt(), Duration.ZERO, "T", "again", null);
            default -> finished(t, TaskState.SUCCEEDED, "w");
          });
    }
    store.record(outcomes);
    assertThat(ended(job)).isEqualTo(6); // the two retried ones did not end
    TaskStore.Overview o = store.overview(tenant);
    assertThat(o.endedLastMinute()).isEqualTo(6);
    assertThat(o.endedLastHour()).isEqualTo(6);
    assertThat(store.overview("default").endedLastHour()).isNotEqualTo(0);

    // a bucket of two hours ago is past what the overview shows, and the sweep deletes it
    jdbc.sql(
            "insert into task_ends (job_id, tenant_id, bucket, n)"
                + " values (?, ?, now() - interval '2 hours', 5)")
        .params(job, tenant)
        .update();
    assertThat(store.overview(tenant).endedLastHour()).isEqualTo(6);
    assertThat(store.forgetTaskEnds()).isPositive();
    assertThat(ended(job)).isEqualTo(6);
    // cancelling ends the two that went back to PENDING (and leaves nothing claimable behind)
    assertThat(store.cancel(tenant, job)).isTrue();
    assertThat(ended(job)).isEqualTo(8);
  }

  @Test
  void aSubmittedJobStartsWithAllItsInputsPendingOnItsRow() {
    // up to 1,000 inputs: one statement (job and tasks in CTEs); more: an insert and a COPY
    for (int inputs : new int[] {10, 1500}) {
      UUID id = UUID.randomUUID();
      JobRecord job =
          new JobRecord(
              "default",
              id,
              JobState.RUNNING,
              new FunctionRef(
                  null, "echo", "BUILTIN", "JSON", null, null, List.of(), "builtin:echo"),
              inputs,
              10,
              3,
              false,
              60_000,
              "",
              "",
              java.time.Instant.now(),
              null,
              Map.of(),
              null,
              "req-" + inputs);
      List<TaskStore.TaskRow> rows = new ArrayList<>();
      for (int i = 0; i < inputs; i++) {
        rows.add(new TaskStore.TaskRow(i, new byte[] {'1'}, null));
      }
      assertThat(store.insert(new TaskStore.NewJob(job, UUID.randomUUID(), "job"), rows, 1000))
          .isTrue();
      assertThat(store.find("default", id).orElseThrow().counts())
          .isEqualTo(Map.of(TaskState.PENDING, inputs))
          .isEqualTo(countTasks(id));
      assertThat(store.cancel("default", id)).isTrue();
      assertThat(store.counts(id)).isEqualTo(Map.of(TaskState.CANCELLED, inputs));
    }
  }

  @Test
  void theWorkerOfAFinishedFutureIsStored() {
    UUID job = insertJob(2, 2);
    List<ClaimedTask> got = store.claim(request("replica-w"));
    assertThat(got).hasSize(2);
    store.record(got.stream().map(t -> finished(t, TaskState.SUCCEEDED, "host-7/pid-42")).toList());
    assertThat(store.tasks("default", job, 0, false, 10))
        .extracting(TaskStore.FinishedTask::worker)
        .containsOnly("host-7/pid-42");
    assertThat(store.find("default", job).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  private static Outcome finished(ClaimedTask t, TaskState state, String worker) {
    return new Outcome.Finished(
        t.id(),
        t.attempt(),
        state,
        null,
        state == TaskState.FAILED ? "T" : null,
        state == TaskState.FAILED ? "boom" : null,
        state == TaskState.FAILED,
        1,
        false,
        null,
        null,
        worker,
        null);
  }

  private static Map<TaskState, Integer> countTasks(UUID job) {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    jdbc.sql("select state, count(*) from tasks where job_id = ? group by state")
        .param(job)
        .query(
            rs -> {
              counts.put(TaskState.valueOf(rs.getString(1)), rs.getInt(2));
            });
    return counts;
  }

  private static ClaimRequest request(String owner) {
    return new ClaimRequest(owner, 4, 40, Duration.ofMinutes(1), Set.of(), Set.of());
  }

  private static long ended(UUID job) {
    return jdbc.sql("select coalesce(sum(n), 0) from task_ends where job_id = ?")
        .param(job)
        .query(Long.class)
        .single();
  }

  private static UUID insertJob(int tasks, int chunk) {
    return db.insertJob(tasks, chunk, "0 seconds");
  }

  private static UUID insertJob(String tenant, int tasks, int chunk) {
    return db.insertJob(tenant, tasks, chunk, "0 seconds");
  }
}
