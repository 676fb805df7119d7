package dev.quarry.server.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.StoreDatabase;
import dev.quarry.server.jobs.TaskStore.ClaimRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The claim must not read every job ever submitted: with a long history of finished jobs, its plan
 * reaches the jobs of the claimable chunks through an index (V18), never by scanning {@code jobs}.
 */
class ClaimPlanTest {
  private static final int HISTORY = 20_000;

  static StoreDatabase db;
  static JdbcClient jdbc;

  @BeforeAll
  static void database() throws Exception {
    db = StoreDatabase.create(2);
    jdbc = db.jdbc();
    jdbc.sql(
            "insert into jobs (tenant_id, id, state, function_name, function_kind, jar_digests,"
                + " bundle_digest, codec, total, chunk_size, max_attempts, retry_function_errors,"
                + " timeout_ms) select 'default', gen_random_uuid(), 'SUCCEEDED', 'echo', 'BUILTIN',"
                + " '{}', 'builtin:echo', 'JSON', 1, 1, 3, false, 60000"
                + " from generate_series(1, ?)")
        .param(HISTORY)
        .update();
    jdbc.sql("analyze jobs").update();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void theClaimFindsItsJobsThroughAnIndexWhateverTheHistory() {
    UUID job = db.insertJob(4, 2, "0 seconds");
    String plan =
        String.join(
            "\n",
            jdbc.sql("explain " + ClaimStatements.CLAIM)
                .params(new String[0], new UUID[0], 8, 8, 100, "replica-plan", 0L)
                .query(String.class)
                .list());
    assertThat(plan).contains("jobs_by_seq").doesNotContain("Seq Scan on jobs");

    // and the statement does what it did before: the job's tasks are claimed
    List<ClaimedTask> claimed = db.store().claim(request());
    assertThat(claimed).extracting(ClaimedTask::jobId).containsOnly(job).hasSize(4);
  }

  private static ClaimRequest request() {
    return new ClaimRequest("replica-plan", 8, 100, Duration.ofMinutes(1), Set.of(), Set.of());
  }
}
