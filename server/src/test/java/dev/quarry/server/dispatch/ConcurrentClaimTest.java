package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.it.TestServerAccess;
import dev.quarry.server.jobs.SubmitCommand;
import dev.quarry.server.jobs.SubmitService;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two claimers racing on one database never take the same task and leave none behind. */
class ConcurrentClaimTest {

  @Test
  void twoDispatchersClaimEveryTaskExactlyOnce() throws Exception {
    var ctx = TestServerAccess.context();
    JdbcClient jdbc = ctx.getBean(JdbcClient.class);
    TaskClaimer claimer = ctx.getBean(TaskClaimer.class);
    SubmitService submits = ctx.getBean(SubmitService.class);
    // A function the workers never see: this job's tasks are claimed only by this test, because
    // the server's own dispatcher is paused by a far-future not_before set right after submit.
    String tenant = "claim-test-" + UUID.randomUUID();
    jdbc.sql("insert into tenants (id, name) values (?, ?)").params(tenant, tenant).update();
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      inputs.add(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    Principal caller = new Principal(tenant, UUID.randomUUID(), Role.MEMBER);
    UUID job;
    synchronized (TestServerAccess.DISPATCH_LOCK) {
      jdbc.sql("update tasks set not_before = now() + interval '1 hour' where state = 'PENDING' and tenant_id = ?")
          .param(tenant).update();
      job = submits.submit(caller, new SubmitCommand("echo", inputs, 1, 1, false, Duration.ofMinutes(1), "claim-test")).jobId();
      jdbc.sql("update tasks set not_before = now() + interval '1 hour' where job_id = ? and state = 'PENDING'")
          .param(job).update();
    }
    long alreadyTaken = jdbc.sql("select count(*) from tasks where job_id = ? and state <> 'PENDING'").param(job).query(Long.class).single();
    jdbc.sql("update tasks set not_before = null where job_id = ? and state = 'PENDING'").param(job).update();

    Set<Integer> seen = Collections.synchronizedSet(new HashSet<>());
    List<Integer> duplicates = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> claimers = new ArrayList<>();
    for (String owner : List.of("replica-a", "replica-b")) {
      Callable<Integer> loop = () -> {
        int mine = 0;
        for (int round = 0; round < 2000; round++) {
          List<ClaimedTask> got = claimer.claim(owner, 37, Duration.ofMinutes(1));
          got.removeIf(t -> !t.jobId().equals(job));
          if (got.isEmpty() && round > 5 && pendingOf(jdbc, job) == 0) {
            break;
          }
          for (ClaimedTask t : got) {
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
    jdbc.sql("update jobs set state = 'CANCELLED' where id = ?").param(job).update();
    jdbc.sql("update tasks set state = 'CANCELLED', finish_seq = nextval('finish_seq') where job_id = ?").param(job).update();

    assertThat(duplicates).isEmpty();
    assertThat(a + b + alreadyTaken).isEqualTo(5000);
    assertThat(a).isPositive();
    assertThat(b).isPositive();
  }

  private static long pendingOf(JdbcClient jdbc, UUID job) {
    return jdbc.sql("select count(*) from tasks where job_id = ? and state = 'PENDING'").param(job).query(Long.class).single();
  }
}
