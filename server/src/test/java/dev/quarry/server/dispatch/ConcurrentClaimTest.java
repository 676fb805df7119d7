package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.jobs.internal.PgTaskStore;
import dev.quarry.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Two dispatchers racing on one database never take the same task and leave none behind. */
class ConcurrentClaimTest {
  static TestDatabase db;
  static HikariDataSource ds;
  static JdbcClient jdbc;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.create();
    ds = new HikariDataSource();
    ds.setJdbcUrl(db.url());
    ds.setUsername(db.user());
    ds.setPassword(db.password());
    ds.setMaximumPoolSize(4);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(ds);
  }

  @AfterAll
  static void close() throws Exception {
    ds.close();
    db.close();
  }

  @Test
  void twoDispatchersClaimEveryTaskExactlyOnce() throws Exception {
    UUID job = insertJob(5000, 3);
    TaskStore claimer = store();
    Set<Integer> seen = Collections.synchronizedSet(new HashSet<>());
    List<Integer> duplicates = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> claimers = new ArrayList<>();
    // Both claimers start each round together, so their statements really overlap.
    Phaser rounds = new Phaser(2);
    for (String owner : List.of("replica-a", "replica-b")) {
      Callable<Integer> loop =
          () -> {
            int mine = 0;
            for (int round = 0; round < 10_000; round++) {
              rounds.arriveAndAwaitAdvance();
              List<ClaimedTask> got = claimer.claim(request(owner, 5));
              if (got.isEmpty() && !claimer.hasRunnable(request(owner, 5))) {
                rounds.arriveAndDeregister();
                break;
              }
              for (ClaimedTask t : got) {
                assertThat(t.attempt()).isEqualTo(1);
                if (!seen.add(t.index())) {
                  duplicates.add(t.index());
                }
                mine++;
              }
            }
            return mine;
          };
      claimers.add(pool.submit(loop));
    }
    int a = claimers.get(0).get();
    int b = claimers.get(1).get();
    pool.shutdown();

    assertThat(duplicates).isEmpty();
    assertThat(a + b).isEqualTo(5000);
    assertThat(a).isPositive();
    assertThat(b).isPositive();
    assertThat(
            jdbc.sql(
                    "select count(*) from tasks where job_id = ? and state = 'RUNNING'"
                        + " and lease_owner in ('replica-a', 'replica-b')")
                .param(job)
                .query(Long.class)
                .single())
        .isEqualTo(5000L);
  }

  @Test
  void claimsWholeChunksOldestJobFirst() {
    UUID older = insertJob(30, 10);
    UUID newer = insertJob(30, 10);
    TaskStore store = store();
    List<ClaimedTask> got = store.claim(request("replica-a", 2));
    assertThat(got).hasSize(20);
    assertThat(got).allSatisfy(t -> assertThat(t.jobId()).isEqualTo(older));
    assertThat(got).extracting(ClaimedTask::chunk).containsOnly(0, 1);
    // the older job's last chunk comes before any chunk of the newer one
    List<ClaimedTask> next = store.claim(request("replica-a", 2));
    assertThat(next).hasSize(20);
    assertThat(next.stream().filter(t -> t.jobId().equals(older)))
        .extracting(ClaimedTask::chunk)
        .hasSize(10)
        .containsOnly(2);
    assertThat(next.stream().filter(t -> t.jobId().equals(newer)))
        .extracting(ClaimedTask::chunk)
        .hasSize(10)
        .containsOnly(0);
  }

  private static TaskStore store() {
    return new PgTaskStore(
        jdbc, ds, new TransactionTemplate(new DataSourceTransactionManager(ds)), new WorkSignal());
  }

  private static ClaimRequest request(String owner, int chunks) {
    return new ClaimRequest(owner, chunks, 1000, Duration.ofMinutes(1), Set.of(), Set.of());
  }

  private static UUID insertJob(int tasks, int chunk) {
    UUID job = UUID.randomUUID();
    long seq =
        jdbc.sql(
                "insert into jobs (tenant_id, id, state, function_name, function_kind, jar_digests,"
                    + " bundle_digest, codec, total, chunk_size, max_attempts, retry_function_errors, timeout_ms)"
                    + " values ('default', ?, 'RUNNING', 'echo', 'BUILTIN', '{}', 'builtin:echo', 'JSON', ?, ?, 3,"
                    + " false, 60000) returning seq")
            .params(job, tasks, chunk)
            .query(Long.class)
            .single();
    jdbc.sql(
            "insert into tasks (tenant_id, job_id, idx, job_seq, chunk, state, input)"
                + " select 'default', ?, i, ?, i / ?, 'PENDING', '\\x31'::bytea from generate_series(0, ? - 1) i")
        .params(job, seq, chunk, tasks)
        .update();
    return job;
  }
}
