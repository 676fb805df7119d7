package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.TestLanes;
import dev.quarry.server.cluster.ReplicaShare;
import dev.quarry.server.jobs.ClaimedTask;
import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.Outcome;
import dev.quarry.server.jobs.RecentSubmits;
import dev.quarry.server.jobs.TaskId;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.limits.TestLimits;
import dev.quarry.server.storage.WorkerStorage;
import dev.quarry.server.supervision.LoopSupervisor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The dispatcher's decisions, one round at a time, against an in-memory task store and fake
 * backends: no Spring context, no database, no thread of its own.
 *
 * <p>Long because each of the round's decisions (group, give back, park, fail a job, bound the
 * retries) needs its own scenario, and they share one set-up of the real collaborators.
 */
class DispatcherTest {
  /** Invocations each tenant may run at once. */
  private static final int TENANT_LIMIT = 2;

  private static final int FREE_SLOTS = 10;

  private final FakeTaskStore store = new FakeTaskStore();
  private final TestLanes lanes = new TestLanes();
  private final LaneBudgets budgets = new LaneBudgets();
  private final TenantConcurrency tenants =
      new TenantConcurrency(TestLimits.everyTenant(TENANT_LIMIT), new ReplicaShare());
  private final LoopSupervisor supervisor;
  private final WorkSignal work;
  private final AdaptiveBacklog backlog;
  private final OutcomeMapper mapper;
  private final OutcomeRecorder recorder;
  private final Invocations invocations;
  private final Dispatcher dispatcher;

  DispatcherTest() {
    Clock clock = Clock.systemUTC();
    ObjectProvider<MeterRegistry> meters =
        new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class);
    supervisor = new LoopSupervisor(clock, meters);
    work = new WorkSignal();
    backlog = new AdaptiveBacklog();
    mapper = new OutcomeMapper(new RetryPolicy(Duration.ofMillis(10)), clock);
    recorder = new OutcomeRecorder(store, new JobSignals(), work, supervisor);
    // functions without jars never write a manifest: the envelope factory needs no object store
    EnvelopeFactory envelopes =
        new EnvelopeFactory(new WorkerStorage(StorageSettings.getDefaultInstance()), null, clock);
    invocations =
        new Invocations(envelopes, mapper, recorder, budgets, tenants, backlog, work, meters);
    dispatcher = dispatcher("30s");
  }

  /** A dispatcher over this test's collaborators that drains for {@code drainTimeout} on stop. */
  private Dispatcher dispatcher(String drainTimeout) {
    QuarryProperties props =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of(
                        "quarry.dispatch.owner",
                        "test",
                        "quarry.shutdown.drain-timeout",
                        drainTimeout)))
            .bindOrCreate("quarry", QuarryProperties.class);
    // the heartbeat is never started: it needs no database to name the owner
    ReplicaHeartbeat replica = new ReplicaHeartbeat(null, props, new ReplicaShare());
    return new Dispatcher(
        lanes.registry(),
        store,
        new JobSpecs(store, new RecentSubmits()),
        invocations,
        budgets,
        tenants,
        backlog,
        mapper,
        recorder,
        work,
        props,
        replica,
        supervisor);
  }

  @AfterEach
  void close() {
    lanes.close();
  }

  @Test
  void claimedTasksAreInvokedOnePerJobAndChunkOnTheJobsLane() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    tasks(job, 0, 0, 1);
    tasks(job, 1, 2);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(2);

    assertThat(lanes.invoked("t/p"))
        .extracting(DispatcherTest::indexes)
        .containsExactly(List.of(0, 1), List.of(2));
    assertThat(lanes.invoked("t/p"))
        .allSatisfy(e -> assertThat(e.getJobId()).isEqualTo(job.id().toString()))
        .as("the submitting request's id, for the worker's log lines")
        .allSatisfy(e -> assertThat(e.getRequestId()).isEqualTo("req-1"));
    assertThat(lanes.invoked("t/")).as("nothing on the default lane").isEmpty();
    assertThat(store.claims)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.owner()).startsWith("test/");
              assertThat(r.chunks()).isEqualTo(FREE_SLOTS);
            });
    assertThat(store.released).isEmpty();
    assertThat(store.pending).isEmpty();
  }

  @Test
  void aTenantAtItsLimitGetsItsGroupGivenBackWhileAnotherTenantRuns() throws InterruptedException {
    lanes.profile("a", "p", TestLanes.FAKE);
    lanes.profile("b", "p", TestLanes.FAKE);
    List<ClaimedTask> busy = tasks(job("a", "p"), 0, 0);
    tasks(job("b", "p"), 0, 0);
    for (int i = 0; i < TENANT_LIMIT; i++) {
      assertThat(tenants.tryAcquire("a")).isTrue();
    }

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);

    assertThat(lanes.invoked("a/p")).isEmpty();
    assertThat(lanes.invoked("b/p")).hasSize(1);
    assertThat(store.released).containsExactlyElementsOf(busy);
    assertThat(store.pending).containsExactlyElementsOf(busy);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isZero();

    assertThat(store.claims.get(1).skipTenants()).containsExactly("a");
    assertThat(lanes.invoked("a/p")).isEmpty();
    // the skipped tenant's runnable tasks are not mistaken for a race lost to another replica
    assertThat(store.claims).hasSize(2);
  }

  @Test
  void aFullLaneParksItsJobUntilASlotOfItsBudgetIsGivenBack() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    List<ClaimedTask> waiting = tasks(job, 0, 0);
    for (int i = 0; i < TestLanes.CAPACITY; i++) {
      assertThat(budgets.tryAcquireOrPark("t/p", TestLanes.CAPACITY, UUID.randomUUID())).isTrue();
    }

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isZero();

    assertThat(lanes.invoked("t/p")).isEmpty();
    assertThat(store.released).containsExactlyElementsOf(waiting);
    assertThat(budgets.parked()).containsExactly(job.id());
    // the tenant's slot taken before the budget said no was given back
    for (int i = 0; i < TENANT_LIMIT; i++) {
      assertThat(tenants.tryAcquire("t")).isTrue();
    }
    for (int i = 0; i < TENANT_LIMIT; i++) {
      tenants.release("t");
    }

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isZero();

    assertThat(store.claims.get(1).skipJobs()).containsExactly(job.id());
    assertThat(store.pending).containsExactlyElementsOf(waiting);

    budgets.release("t/p");

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);
    assertThat(lanes.invoked("t/p"))
        .extracting(DispatcherTest::indexes)
        .containsExactly(List.of(0));
  }

  @Test
  void lanesThatCannotOpenFailTheirJobsTasksAndOtherJobsStillRun() throws InterruptedException {
    lanes.profile("t", "az", "azure-functions");
    lanes.profile("t", "s3", TestLanes.UNAVAILABLE);
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord noPlugIn = job("t", "az");
    JobRecord unavailable = job("t", "s3");
    JobRecord fine = job("t", "p");
    tasks(noPlugIn, 0, 0, 1);
    tasks(fine, 0, 0);
    tasks(unavailable, 0, 0);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);

    assertThat(lanes.invoked("t/p"))
        .singleElement()
        .satisfies(e -> assertThat(e.getJobId()).isEqualTo(fine.id().toString()));
    assertThat(store.messages)
        .containsOnlyKeys(noPlugIn.id(), unavailable.id())
        .hasEntrySatisfying(
            noPlugIn.id(), m -> assertThat(m).contains("backend azure-functions of profile 'az'"))
        .containsEntry(unavailable.id(), "it needs S3 storage");
    recorder.stop(); // writes what it was handed
    assertThat(store.recorded)
        .extracting(Outcome::task)
        .containsExactly(
            new TaskId(noPlugIn.id(), 0),
            new TaskId(noPlugIn.id(), 1),
            new TaskId(unavailable.id(), 0));
    assertThat(store.recorded)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfSatisfying(
                        Outcome.Finished.class,
                        f -> {
                          assertThat(f.state()).isEqualTo(TaskState.FAILED);
                          assertThat(f.errorType()).isEqualTo("dev.quarry.backend.permanent");
                          assertThat(f.errorMessage())
                              .startsWith(store.messages.get(f.task().job()));
                        }));
    assertThat(store.released).isEmpty();
  }

  @Test
  void anErrorWhileOpeningALaneFailsOnlyThatJobsGroup() throws InterruptedException {
    lanes.profile("t", "bad", TestLanes.BROKEN);
    lanes.profile("u", "p", TestLanes.FAKE);
    JobRecord broken = job("t", "bad");
    JobRecord fine = job("u", "p");
    tasks(broken, 0, 0);
    tasks(fine, 0, 0);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);

    assertThat(lanes.invoked("u/p")).hasSize(1);
    assertThat(store.messages.get(broken.id()))
        .isEqualTo("dispatch failed: LinkageError: the broken plug-in cannot open lanes");
    recorder.stop();
    assertThat(store.recorded)
        .singleElement()
        .isInstanceOfSatisfying(
            Outcome.Finished.class,
            f -> {
              assertThat(f.task()).isEqualTo(new TaskId(broken.id(), 0));
              assertThat(f.state()).isEqualTo(TaskState.FAILED);
            });
  }

  @Test
  void anErrorReadingAJobsSpecGivesItsTasksBackAndOtherJobsStillRun() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord unreadable = job("t", "p");
    JobRecord fine = job("t", "p");
    List<ClaimedTask> back = tasks(unreadable, 0, 0);
    tasks(fine, 0, 0);
    store.brokenSpecs.put(unreadable.id(), new AssertionError("corrupt row"));

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);

    assertThat(lanes.invoked("t/p"))
        .singleElement()
        .satisfies(e -> assertThat(e.getJobId()).isEqualTo(fine.id().toString()));
    assertThat(store.released).containsExactlyElementsOf(back);
    assertThat(store.messages).isEmpty();
    recorder.stop();
    assertThat(store.recorded).isEmpty();
  }

  @Test
  void nothingToClaimEndsTheRoundAndALostRaceIsRetriedAFewTimesOnly() throws InterruptedException {
    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isZero();
    assertThat(store.claims).hasSize(1);

    store.lockedElsewhere = true;
    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isZero();
    assertThat(store.claims).hasSize(1 + 1 + Dispatcher.MAX_LOST_RACES);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).as("the count starts again").isZero();
    assertThat(store.claims).hasSize(1 + 2 * (1 + Dispatcher.MAX_LOST_RACES));
  }

  @Test
  void stoppingWaitsForRunningInvocationsAndRecordsTheirOutcomes() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    tasks(job, 0, 0);
    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);
    // answers while the stop most likely waits for it (if it answers first, nothing changes)
    Thread answer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  lanes.complete("t/p", 0);
                });

    dispatcher.stop();

    answer.join();
    assertThat(invocations.inFlight()).isZero();
    assertThat(store.released).as("nothing handed back").isEmpty();
    recorder.stop();
    assertThat(store.recorded).extracting(Outcome::task).containsExactly(new TaskId(job.id(), 0));
  }

  @Test
  void stoppingHandsBackWhatIsStillRunningAfterTheDrainTimeoutAndIgnoresItsLateAnswer()
      throws InterruptedException {
    Dispatcher impatient = dispatcher("100ms");
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    tasks(job, 0, 0);
    List<ClaimedTask> stuck = tasks(job, 1, 1);
    assertThat(impatient.dispatchOnce(FREE_SLOTS)).isEqualTo(2);
    lanes.complete("t/p", 0);

    impatient.stop();

    assertThat(store.released).containsExactlyElementsOf(stuck);
    lanes.complete("t/p", 1); // the late answer of the handed-back invocation
    recorder.stop();
    assertThat(store.recorded).extracting(Outcome::task).containsExactly(new TaskId(job.id(), 0));
    assertThat(invocations.inFlight()).isZero();
    for (int i = 0; i < TENANT_LIMIT; i++) {
      assertThat(tenants.tryAcquire("t")).as("the tenant's slots were given back").isTrue();
    }
  }

  @Test
  void aRoundThatTookEveryChunkLeavesNoWorkBehind() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    tasks(job, 0, 0);

    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).isEqualTo(1);

    assertThat(dispatcher.leftWork())
        .as("an invocation that ends frees a slot nothing waits for")
        .isFalse();
  }

  @Test
  void aRoundLimitedBySlotsOrQuotaLeavesWorkBehind() throws InterruptedException {
    lanes.profile("t", "p", TestLanes.FAKE);
    JobRecord job = job("t", "p");
    tasks(job, 0, 0);
    tasks(job, 1, 1);

    assertThat(dispatcher.dispatchOnce(1)).isEqualTo(1);
    assertThat(dispatcher.leftWork()).as("one slot, two chunks").isTrue();

    tasks(job, 2, 2);
    tasks(job, 3, 3);
    assertThat(dispatcher.dispatchOnce(FREE_SLOTS)).as("the tenant's second slot").isEqualTo(1);
    assertThat(dispatcher.leftWork()).as("chunks given back at the tenant's limit").isTrue();
  }

  private JobRecord job(String tenant, @Nullable String profile) {
    FunctionRef fn =
        new FunctionRef(null, "echo", "BUILTIN", "JSON", null, null, List.of(), "sha256:echo");
    JobRecord job =
        new JobRecord(
            tenant,
            UUID.randomUUID(),
            JobState.RUNNING,
            fn,
            10,
            2,
            3,
            false,
            60_000,
            "",
            "",
            Instant.EPOCH,
            null,
            Map.of(),
            profile,
            "req-1");
    store.specs.put(job.id(), job);
    return job;
  }

  /** Makes the tasks {@code indexes} of one chunk of {@code job} runnable. */
  private List<ClaimedTask> tasks(JobRecord job, int chunk, int... indexes) {
    List<ClaimedTask> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(
          new ClaimedTask(
              job.tenantId(), new TaskId(job.id(), i), 1, chunk, new byte[] {'1'}, null, 0));
    }
    store.pending.addAll(out);
    return out;
  }

  private static List<Integer> indexes(TaskEnvelope e) {
    return e.getTasksList().stream().map(TaskInput::getIndex).toList();
  }
}
