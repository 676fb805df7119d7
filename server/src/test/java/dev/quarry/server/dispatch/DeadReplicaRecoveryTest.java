package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.it.TestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tasks leased by a replica that died are re-run by a live one long before their lease ends. */
class DeadReplicaRecoveryTest {

  @Test
  void reclaimsTasksOfAReplicaThatStoppedBeating() throws Exception {
    var ctx = TestServer.sharedContext();
    JdbcClient jdbc = ctx.getBean(JdbcClient.class);
    UUID job = UUID.randomUUID();
    long seq = insertEchoJob(jdbc, job, 2);
    // Two tasks a crashed replica had claimed, with leases an hour away.
    jdbc.sql(
            "insert into replicas (owner, heartbeat_at) values ('ghost', now() - interval '1 hour')"
                + " on conflict (owner) do update set heartbeat_at = excluded.heartbeat_at")
        .update();
    jdbc.sql(
            "insert into tasks (tenant_id, job_id, idx, job_seq, chunk, state, attempt, input,"
                + " lease_owner, lease_expires_at) select 'default', ?, i, ?, i, 'RUNNING', 1,"
                + " convert_to(i::text, 'UTF8'), 'ghost', now() + interval '1 hour'"
                + " from generate_series(0, 1) i")
        .params(job, seq)
        .update();

    ctx.getBean(LeaseReaper.class).reap();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("select state from jobs where id = ?")
                            .param(job)
                            .query(String.class)
                            .single())
                    .isEqualTo("SUCCEEDED"));
    assertThat(
            jdbc.sql("select attempt from tasks where job_id = ? order by idx")
                .param(job)
                .query(Integer.class)
                .list())
        .containsExactly(2, 2);
    assertThat(
            jdbc.sql("select count(*) from replicas where owner = ?")
                .param(ctx.getBean(Dispatcher.class).owner())
                .query(Long.class)
                .single())
        .isEqualTo(1L);
  }

  @Test
  void leavesTasksOfALiveReplicaAlone() throws Exception {
    var ctx = TestServer.sharedContext();
    JdbcClient jdbc = ctx.getBean(JdbcClient.class);
    UUID job = UUID.randomUUID();
    long seq = insertEchoJob(jdbc, job, 1);
    jdbc.sql(
            "insert into replicas (owner) values ('alive') on conflict (owner) do update"
                + " set heartbeat_at = now()")
        .update();
    jdbc.sql(
            "insert into tasks (tenant_id, job_id, idx, job_seq, chunk, state, attempt, input,"
                + " lease_owner, lease_expires_at) values ('default', ?, 0, ?, 0, 'RUNNING', 1, '1'::bytea,"
                + " 'alive', now() + interval '1 hour')")
        .params(job, seq)
        .update();

    try {
      ctx.getBean(LeaseReaper.class).reap();

      assertThat(
              jdbc.sql("select lease_owner from tasks where job_id = ?")
                  .param(job)
                  .query(String.class)
                  .single())
          .isEqualTo("alive");
    } finally {
      // The shared server shares its quotas among the live replicas it reads at each heartbeat:
      // the fake one goes, and a beat now restores the server's whole share for the next tests.
      jdbc.sql("delete from replicas where owner = 'alive'").update();
      ctx.getBean(ReplicaHeartbeat.class).beat();
    }
    jdbc.sql("update jobs set state = 'CANCELLED' where id = ?").param(job).update();
    jdbc.sql(
            "update tasks set state = 'CANCELLED', finish_seq = nextval('finish_seq') where job_id = ?")
        .param(job)
        .update();
  }

  /** A running job of the builtin echo with {@code total} futures, its tasks left to the caller. */
  private static long insertEchoJob(JdbcClient jdbc, UUID job, int total) {
    return jdbc.sql(
            "insert into jobs (tenant_id, id, state, function_name, function_kind, jar_digests,"
                + " bundle_digest, codec, total, chunk_size, max_attempts, retry_function_errors,"
                + " timeout_ms) values ('default', ?, 'RUNNING', 'echo', 'BUILTIN', '{}',"
                + " 'builtin:echo', 'JSON', ?, 1, 3, false, 3600000) returning seq")
        .params(job, total)
        .query(Long.class)
        .single();
  }
}
