package dev.quarry.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task store's statistics: what outcomes record (V16), and the job aggregate (percentiles,
 * queue time from submission or retry, GB-seconds per invocation) computed by PostgreSQL.
 */
class TaskStatsTest {
  static StoreDatabase db;
  static TaskStore store;

  @BeforeAll
  static void database() throws Exception {
    db = StoreDatabase.create(4);
    store = db.store();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void theSummaryAggregatesTheLatestAttemptsAndBillsEachInvocationOnce() {
    // submitted a minute ago; two chunks of two
    UUID job = insertJob(4, 2, "60 seconds");
    List<ClaimedTask> first = store.claim(request());
    assertThat(first).hasSize(4);
    List<Outcome> outcomes = new ArrayList<>();
    for (ClaimedTask t : first) {
      outcomes.add(
          t.index() == 3
              ? new Outcome.Retry(t.id(), t.attempt(), Duration.ZERO, "T", "again", null)
              : finished(t, 100 * (t.index() + 1)));
    }
    store.record(outcomes);
    List<ClaimedTask> second = store.claim(request());
    assertThat(second).extracting(ClaimedTask::index).containsExactly(3);
    store.record(List.of(finished(second.get(0), 400)));

    JobTotals t = store.totals("default", job);

    assertThat(t.counts().total()).isEqualTo(4);
    assertThat(t.counts().succeeded()).isEqualTo(4);
    assertThat(t.started()).isEqualTo(4);
    assertThat(t.attempts()).isEqualTo(5);
    assertThat(t.duration().totalMs()).isEqualTo(1000);
    assertThat(t.duration().meanMs()).isEqualTo(250);
    // linear interpolation over 100, 200, 300, 400
    assertThat(t.duration().p50Ms()).isCloseTo(250, within(1e-9));
    assertThat(t.duration().p95Ms()).isCloseTo(385, within(1e-9));
    assertThat(t.duration().p99Ms()).isCloseTo(397, within(1e-9));
    assertThat(t.duration().maxMs()).isEqualTo(400);
    assertThat(t.cpuMs()).isEqualTo(10 + 20 + 30 + 40);
    assertThat(t.bytesRead()).isEqualTo(1 + 2 + 3 + 4);
    assertThat(t.bytesWritten()).isEqualTo(2 + 4 + 6 + 8);
    assertThat(t.peakMemoryBytes()).isEqualTo(4000);
    // chunk 0 (one invocation), chunk 1 first attempt, chunk 1's retried future: 1 GB-s each
    assertThat(t.billedInvocations()).isEqualTo(3);
    assertThat(t.gbSeconds()).isCloseTo(3.0, within(1e-9));
    assertThat(t.queue().maxMs()).isGreaterThanOrEqualTo(60_000);
  }

  @Test
  void queueTimeRunsFromTheRetryNotFromTheSubmission() {
    UUID job = insertJob(2, 1, "60 seconds");
    List<ClaimedTask> first = store.claim(request());
    store.record(
        first.stream()
            .map(
                t ->
                    t.index() == 0
                        ? finished(t, 5)
                        : (Outcome)
                            new Outcome.Retry(t.id(), t.attempt(), Duration.ZERO, "T", "x", null))
            .toList());
    store.record(store.claim(request()).stream().map(t -> finished(t, 5)).toList());

    FutureStats submitted = store.futureStats("default", job, 0).orElseThrow();
    FutureStats retried = store.futureStats("default", job, 1).orElseThrow();

    assertThat(submitted.queueMs()).isGreaterThanOrEqualTo(60_000);
    assertThat(retried.queueMs()).isLessThan(60_000);
    assertThat(retried.attempts()).isEqualTo(2);
    assertThat(retried.cpuMs()).isEqualTo(20);
    assertThat(retried.peakMemoryBytes()).isEqualTo(2000);
    assertThat(retried.bytesRead()).isEqualTo(2);
    assertThat(retried.bytesWritten()).isEqualTo(4);
    assertThat(retried.billedMs()).isEqualTo(1000);
    assertThat(retried.memorySizeMb()).isEqualTo(1024);
    assertThat(retried.workerId()).isEqualTo("instance-1");
    assertThat(retried.startedAt()).isBeforeOrEqualTo(retried.finishedAt());
  }

  @Test
  void anotherTenantSeesNoFiguresAndAnUnstartedFutureHasZeros() {
    UUID job = insertJob(1, 1, "0 seconds");

    assertThat(store.futureStats("other", job, 0)).isEmpty();
    assertThat(store.futureStats("default", job, 1)).isEmpty();
    assertThat(store.totals("other", job).counts().total()).isZero();
    FutureStats pending = store.futureStats("default", job, 0).orElseThrow();
    assertThat(pending.state()).isEqualTo(TaskState.PENDING);
    assertThat(pending.queueMs()).isZero();
    assertThat(pending.startedAt()).isNull();
    JobTotals t = store.totals("default", job);
    assertThat(t.counts().pending()).isEqualTo(1);
    assertThat(t.started()).isZero();
    assertThat(t.duration().p99Ms()).isZero();
    assertThat(t.gbSeconds()).isZero();
    // the other tests claim every runnable task
    assertThat(store.cancel("default", job)).isTrue();
  }

  @Test
  void retryFailedClearsTheFiguresOfTheFailedAttempt() {
    UUID job = insertJob(1, 1, "0 seconds");
    ClaimedTask t = store.claim(request()).get(0);
    store.record(
        List.of(
            new Outcome.Finished(
                t.id(),
                t.attempt(),
                TaskState.FAILED,
                null,
                "T",
                "boom",
                true,
                7,
                false,
                null,
                null,
                "w",
                new Outcome.Usage(9, 9, 9, 9))));
    assertThat(store.retryFailed("default", job)).hasValue(1);

    FutureStats again = store.futureStats("default", job, 0).orElseThrow();

    assertThat(again.state()).isEqualTo(TaskState.PENDING);
    assertThat(again.cpuMs()).isZero();
    assertThat(again.bytesRead()).isZero();
    assertThat(store.totals("default", job).cpuMs()).isZero();
    assertThat(store.cancel("default", job)).isTrue();
  }

  @Test
  void usageFiguresAreClamped() {
    Outcome.Usage u = new Outcome.Usage(-5, Long.MAX_VALUE, 3, -1);

    assertThat(u.cpuMs()).isZero();
    assertThat(u.peakMemoryBytes()).isEqualTo(Outcome.Usage.MAX);
    assertThat(u.bytesRead()).isEqualTo(3);
    assertThat(u.bytesWritten()).isZero();
  }

  private static Outcome finished(ClaimedTask t, int durationMs) {
    int n = t.index() + 1;
    return new Outcome.Finished(
        t.id(),
        t.attempt(),
        TaskState.SUCCEEDED,
        null,
        null,
        null,
        false,
        durationMs,
        false,
        new Outcome.Platform(1000, 100, 1024),
        null,
        "instance-1",
        new Outcome.Usage(10L * n, 1000L * n, n, 2L * n));
  }

  private static ClaimRequest request() {
    return new ClaimRequest("replica-s", 4, 40, Duration.ofMinutes(1), Set.of(), Set.of());
  }

  private static UUID insertJob(int tasks, int chunk, String age) {
    return db.insertJob(tasks, chunk, age);
  }
}
