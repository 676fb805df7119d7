package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.resilience.CircuitOpenException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.StorageKeys;
import dev.quarry.server.jobs.TaskId;
import dev.quarry.server.jobs.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The decisions on what a backend answered, without a database or a backend. */
class OutcomeMapperTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private final OutcomeMapper mapper =
      new OutcomeMapper(new RetryPolicy(Duration.ofMillis(10)), Clock.fixed(NOW, ZoneOffset.UTC));
  private final UUID jobId = UUID.randomUUID();

  private JobRecord job(int maxAttempts, boolean retryFunctionErrors) {
    FunctionRef fn = new FunctionRef(null, "echo", "BUILTIN", "JSON", null, null, List.of(), "b");
    return new JobRecord(
        "t",
        jobId,
        JobState.RUNNING,
        fn,
        3,
        1,
        maxAttempts,
        retryFunctionErrors,
        1000,
        "",
        "",
        NOW,
        null,
        Map.of(),
        null,
        "req-1");
  }

  private ClaimedTask task(int index, int attempt) {
    return new ClaimedTask("t", new TaskId(jobId, index), attempt, index, new byte[0], null, 0);
  }

  private static TaskOutcome ok(int index) {
    return TaskOutcome.newBuilder()
        .setTaskId("ignored")
        .setIndex(index)
        .setOk(true)
        .setResultKey("r" + index)
        .setStartMs(10)
        .setEndMs(35)
        .build();
  }

  @Test
  void matchesOutcomesByIndexAndReportsMissingOnesAsTransient() {
    InvocationSummary summary =
        InvocationSummary.newBuilder().addOutcomes(ok(7)).addOutcomes(ok(5)).build();

    List<Outcome> out =
        mapper.fromSummary(job(3, false), List.of(task(5, 1), task(6, 1), task(7, 1)), summary);

    assertThat(out.get(0))
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.task()).isEqualTo(new TaskId(jobId, 5));
              assertThat(f.state()).isEqualTo(TaskState.SUCCEEDED);
              assertThat(f.resultKey()).isEqualTo("r5");
              assertThat(f.durationMs()).isEqualTo(25);
            });
    assertThat(out.get(1))
        .isInstanceOfSatisfying(
            Outcome.Retry.class,
            r -> assertThat(r.errorType()).isEqualTo("dev.quarry.MissingOutcome"));
    assertThat(out.get(2))
        .isInstanceOfSatisfying(
            Outcome.Finished.class, f -> assertThat(f.resultKey()).isEqualTo("r7"));
  }

  @Test
  void recordsALogKeyOnlyWhenItIsTheOneTheAttemptWasGiven() {
    String given = StorageKeys.log("t", jobId, 1, 2);
    TaskOutcome failed =
        TaskOutcome.newBuilder()
            .setIndex(2)
            .setLogKey(StorageKeys.log("t", jobId, 2, 1))
            .setError(RemoteError.newBuilder().setType("java.io.IOException"))
            .build();
    InvocationSummary summary =
        InvocationSummary.newBuilder()
            .addOutcomes(ok(1).toBuilder().setLogKey(given))
            .addOutcomes(ok(0).toBuilder().setLogKey("tenants/other/jobs/x/results/0.1"))
            .addOutcomes(failed)
            .build();

    List<Outcome> out =
        mapper.fromSummary(job(3, false), List.of(task(1, 2), task(0, 1), task(2, 1)), summary);

    assertThat(out.get(0))
        .isInstanceOfSatisfying(
            Outcome.Finished.class, f -> assertThat(f.logKey()).isEqualTo(given));
    assertThat(out.get(1))
        .isInstanceOfSatisfying(Outcome.Finished.class, f -> assertThat(f.logKey()).isNull());
    assertThat(out.get(2))
        .as("a retried attempt keeps its own log")
        .isInstanceOfSatisfying(
            Outcome.Retry.class,
            r -> assertThat(r.logKey()).isEqualTo(StorageKeys.log("t", jobId, 2, 1)));
  }

  @Test
  void aFunctionErrorIsFinalUnlessTheJobRetriesThem() {
    TaskOutcome thrown =
        TaskOutcome.newBuilder()
            .setIndex(0)
            .setResultKey("err0")
            .setError(
                RemoteError.newBuilder()
                    .setType("java.lang.ArithmeticException")
                    .setMessage("/ by zero")
                    .setFunctionError(true))
            .build();
    InvocationSummary summary = InvocationSummary.newBuilder().addOutcomes(thrown).build();

    assertThat(mapper.fromSummary(job(3, false), List.of(task(0, 1)), summary).get(0))
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.state()).isEqualTo(TaskState.FAILED);
              assertThat(f.functionError()).isTrue();
              assertThat(f.resultKey()).isEqualTo("err0");
              assertThat(f.errorMessage()).isEqualTo("/ by zero");
            });
    assertThat(mapper.fromSummary(job(3, true), List.of(task(0, 1)), summary).get(0))
        .isInstanceOf(Outcome.Retry.class);
    assertThat(mapper.fromSummary(job(3, true), List.of(task(0, 3)), summary).get(0))
        .isInstanceOf(Outcome.Finished.class);
  }

  @Test
  void anInvocationErrorFailsEveryTaskOfTheChunkTheSameWay() {
    InvocationSummary crashed =
        InvocationSummary.newBuilder()
            .setInvocationError(
                RemoteError.newBuilder().setType("dev.quarry.WorkerCrashed").setMessage("exit 137"))
            .build();

    List<Outcome> out = mapper.fromSummary(job(2, false), List.of(task(0, 1), task(1, 2)), crashed);

    assertThat(out.get(0)).isInstanceOf(Outcome.Retry.class);
    assertThat(out.get(1))
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.functionError()).isFalse();
              assertThat(f.errorMessage()).isEqualTo("exit 137 (attempt 2 of 2)");
            });
  }

  @Test
  void aPermanentBackendErrorIsNotRetriedAndATransientOneIs() {
    var permanent = new BackendException(BackendException.Kind.PERMANENT, "no such function");
    var transientError = new CompletionException(new java.io.IOException("connection reset"));

    assertThat(mapper.fromFailure(job(5, false), List.of(task(0, 1)), permanent).get(0))
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.errorType()).isEqualTo("dev.quarry.backend.permanent");
              assertThat(f.errorMessage()).isEqualTo("no such function (attempt 1 of 5)");
            });
    assertThat(mapper.fromFailure(job(5, false), List.of(task(0, 1)), transientError).get(0))
        .isInstanceOfSatisfying(
            Outcome.Retry.class, r -> assertThat(r.errorType()).isEqualTo("java.io.IOException"));
  }

  @Test
  void anOpenCircuitRequeuesWithoutSpendingTheAttemptUntilItMayClose() {
    var open = new CircuitOpenException("circuit of lambda:t/p is open", NOW.plusSeconds(20));

    List<Outcome> out = mapper.fromFailure(job(1, false), List.of(task(0, 1)), open);

    assertThat(out.get(0))
        .isInstanceOfSatisfying(
            Outcome.Requeue.class,
            q -> {
              assertThat(q.delay()).isEqualTo(Duration.ofSeconds(20));
              assertThat(q.attempt()).isEqualTo(1);
              assertThat(q.reason()).startsWith("waiting: ");
            });
  }
}
