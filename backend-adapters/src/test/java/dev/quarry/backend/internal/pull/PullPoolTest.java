package dev.quarry.backend.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.backend.pull.PullPoolOptions;
import dev.quarry.backend.pull.WorkerLink;
import dev.quarry.backend.pull.WorkerSession;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull pool's queue, leases and grants, with a clock the test moves and a real store. */
class PullPoolTest {
  private static final Duration LEASE = Duration.ofSeconds(10);

  @TempDir Path temp;
  private final MutableClock clock = new MutableClock();
  private final AtomicInteger capacityChanges = new AtomicInteger();
  // the reaper is run by hand (reap()); this scheduler never gets to it within a test
  private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
  private ObjectStore store;
  private PullPoolImpl pool;

  @BeforeEach
  void open() {
    store = ObjectStores.open("fs", Map.of("root", temp.toString()));
    pool =
        new PullPoolImpl(
            PullPoolOptions.builder()
                .store(store)
                .leaseTime(LEASE)
                .maxSlots(8)
                .clock(clock)
                .scheduler(idle)
                .onCapacityChange(capacityChanges::incrementAndGet)
                .build());
  }

  @AfterEach
  void close() {
    pool.close();
    idle.shutdownNow();
  }

  @Test
  void handsAQueuedInvocationToAWorkerTheMomentItConnects() {
    CompletableFuture<InvocationSummary> result = pool.invoke(envelope("inv-1", "t1"));
    assertThat(pool.queued()).isEqualTo(1);
    Link link = new Link();
    pool.connect("w", 2, link);
    assertThat(link.sent).extracting(TaskEnvelope::getInvocationId).containsExactly("inv-1");
    assertThat(pool.queued()).isZero();
    assertThat(result).isNotDone();
  }

  @Test
  void capacityIsTheSlotsOfConnectedWorkersThatAreNotDraining() {
    assertThat(pool.capacity()).isZero();
    WorkerSession a = pool.connect("a", 3, new Link());
    pool.connect("b", 2, new Link());
    assertThat(pool.capacity()).isEqualTo(5);
    a.drain();
    assertThat(pool.capacity()).isEqualTo(2);
    assertThat(capacityChanges.get()).isEqualTo(3);
    assertThatThrownBy(() -> pool.connect("c", 9, new Link()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slots");
  }

  @Test
  void neverGivesAWorkerMoreThanItsSlotsNorADrainingWorkerAnything() {
    Link link = new Link();
    WorkerSession s = pool.connect("w", 2, link);
    for (int i = 0; i < 5; i++) {
      pool.invoke(envelope("inv-" + i, "t" + i));
    }
    assertThat(link.sent).hasSize(2);
    s.drain();
    s.complete(summary(link.sent.get(0)));
    assertThat(link.sent).hasSize(2);
    assertThat(pool.queued()).isEqualTo(3);
    // told it may leave once it holds nothing, and only then
    assertThat(link.drained).isZero();
    s.complete(summary(link.sent.get(1)));
    assertThat(link.drained).isEqualTo(1);
  }

  @Test
  void anExpiredLeaseFailsRetryablyAndItsLateOutcomeIsDropped() throws Exception {
    Link link = new Link();
    WorkerSession s = pool.connect("w", 2, link);
    CompletableFuture<InvocationSummary> renewed = pool.invoke(envelope("inv-1", "t1"));
    CompletableFuture<InvocationSummary> forgotten = pool.invoke(envelope("inv-2", "t2"));
    clock.advance(LEASE.minusSeconds(1));
    s.heartbeat(List.of("inv-1"));
    clock.advance(Duration.ofSeconds(2));
    pool.reap();
    assertThat(renewed).isNotDone();
    assertThat(forgotten).isCompletedExceptionally();
    assertThatThrownBy(forgotten::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(BackendException.class)
        .satisfies(e -> assertThat(((BackendException) e).kind().retryable()).isTrue());
    assertThat(link.lost).containsExactly("inv-2");
    // the worker wakes up: its answer for the lost lease changes nothing, and it cannot write
    assertThat(s.complete(summary(link.sent.get(1)))).isFalse();
    assertThat(
            s.storage(
                    StorageCall.newBuilder()
                        .setInvocationId("inv-2")
                        .setOp(StorageCall.Op.OP_WRITE)
                        .setKey("tenants/a/jobs/j/results/t2")
                        .setData(ByteString.copyFromUtf8("late"))
                        .build())
                .getDenied())
        .isTrue();
    assertThat(store.exists("tenants/a/jobs/j/results/t2")).isFalse();
    assertThat(s.complete(summary(link.sent.get(0)))).isTrue();
    assertThat(renewed.get().getOutcomesCount()).isEqualTo(1);
  }

  @Test
  void aSilentWorkerIsCutOffAndLosesEverythingItHolds() {
    Link link = new Link();
    pool.connect("w", 1, link);
    CompletableFuture<InvocationSummary> held = pool.invoke(envelope("inv-1", "t1"));
    clock.advance(LEASE.plusSeconds(1));
    pool.reap();
    assertThat(held).isCompletedExceptionally();
    assertThat(link.disconnected).isTrue();
    assertThat(pool.workers()).isZero();
    assertThat(pool.capacity()).isZero();
  }

  @Test
  void aClosedSessionFailsItsInvocationsSoTheyRunElsewhere() {
    Link first = new Link();
    WorkerSession s = pool.connect("first", 1, first);
    CompletableFuture<InvocationSummary> held = pool.invoke(envelope("inv-1", "t1"));
    s.close("stream broken");
    assertThat(held).isCompletedExceptionally();
    assertThat(s.isOpen()).isFalse();
    assertThat(s.complete(summary(first.sent.get(0)))).isFalse();
  }

  @Test
  void servesStorageOnlyWithinTheGrantOfAnInvocationTheWorkerHolds() {
    store.put("tenants/a/jobs/j/inputs/t1", "input".getBytes());
    store.put("tenants/b/jobs/j/inputs/t1", "other tenant".getBytes());
    Link mine = new Link();
    Link other = new Link();
    WorkerSession s = pool.connect("mine", 1, mine);
    WorkerSession o = pool.connect("other", 1, other);
    pool.invoke(envelope("inv-1", "t1"));
    WorkerSession holder = mine.sent.isEmpty() ? o : s;
    WorkerSession bystander = holder == s ? o : s;
    assertThat(read(holder, "inv-1", "tenants/a/jobs/j/inputs/t1").getData().toStringUtf8())
        .isEqualTo("input");
    assertThat(read(holder, "inv-1", "tenants/b/jobs/j/inputs/t1").getDenied()).isTrue();
    assertThat(read(bystander, "inv-1", "tenants/a/jobs/j/inputs/t1").getDenied()).isTrue();
  }

  @Test
  void servesTheTenantsObjectsAsTheHeldInvocationsTenantUntilItsOutcome() {
    List<String> seenTenants = new ArrayList<>();
    TenantObjects objects =
        new TenantObjects() {
          @Override
          public Read read(String tenant, String bucket, String key, long offset, int length) {
            seenTenants.add(tenant);
            return new Read(true, 5, "\"e\"", "hello".getBytes());
          }

          @Override
          public void write(String tenant, String bucket, String key, byte[] data) {}

          @Override
          public Page list(String tenant, String b, String p, String token, int limit) {
            return new Page(List.of(), "");
          }

          @Override
          public boolean delete(String tenant, String bucket, String key) {
            return false;
          }
        };
    PullPoolImpl withObjects =
        new PullPoolImpl(
            PullPoolOptions.builder()
                .store(store)
                .leaseTime(LEASE)
                .clock(clock)
                .scheduler(idle)
                .tenantObjects(objects)
                .build());
    try {
      Link link = new Link();
      WorkerSession s = withObjects.connect("w", 1, link);
      TaskEnvelope e = envelope("inv-1", "t1");
      withObjects.invoke(e);
      assertThat(objectRead(s, "inv-1").getData().toStringUtf8()).isEqualTo("hello");
      assertThat(objectRead(s, "inv-2").getDenied()).isTrue();
      assertThat(s.complete(summary(e))).isTrue();
      assertThat(objectRead(s, "inv-1").getDenied()).isTrue();
      assertThat(seenTenants).containsExactly("a");
      // a pool given no objects refuses such calls, even for an invocation it holds
      WorkerSession plain = pool.connect("plain", 1, new Link());
      pool.invoke(envelope("inv-3", "t3"));
      StorageReply refused = objectRead(plain, "inv-3");
      assertThat(refused.getDenied()).isTrue();
      assertThat(refused.getError()).contains("no storage");
    } finally {
      withObjects.close();
    }
  }

  @Test
  void keepsOnlyOutcomesOfTheEnvelopesOwnTasksAtTheKeysTheServerChose() {
    TaskEnvelope e = envelope("inv-1", "t1");
    InvocationSummary hostile =
        InvocationSummary.newBuilder()
            .setInvocationId("inv-1")
            .addOutcomes(
                TaskOutcome.newBuilder()
                    .setTaskId("t1")
                    .setAttempt(1)
                    .setIndex(99)
                    .setOk(true)
                    .setResultKey("tenants/b/jobs/x/results/0"))
            .addOutcomes(TaskOutcome.newBuilder().setTaskId("not-mine").setAttempt(1).setOk(true))
            .build();
    InvocationSummary kept = PullPoolImpl.confined(e, hostile);
    assertThat(kept.getOutcomesList()).hasSize(1);
    assertThat(kept.getOutcomes(0).getResultKey()).isEqualTo("tenants/a/jobs/j/results/t1");
    assertThat(kept.getOutcomes(0).getIndex()).isEqualTo(3);
  }

  @Test
  void closingThePoolFailsQueuedWorkAndDisconnectsWorkers() {
    Link link = new Link();
    pool.connect("w", 1, link);
    CompletableFuture<InvocationSummary> running = pool.invoke(envelope("inv-1", "t1"));
    CompletableFuture<InvocationSummary> queued = pool.invoke(envelope("inv-2", "t2"));
    pool.close();
    assertThat(running).isCompletedExceptionally();
    assertThat(queued).isCompletedExceptionally();
    assertThat(link.disconnected).isTrue();
    assertThat(pool.invoke(envelope("inv-3", "t3"))).isCompletedExceptionally();
  }

  private static StorageReply objectRead(WorkerSession s, String inv) {
    return s.storage(
        StorageCall.newBuilder()
            .setInvocationId(inv)
            .setOp(StorageCall.Op.OP_OBJECT_READ)
            .setBucket("docs")
            .setKey("in/hello.txt")
            .setLength(100)
            .build());
  }

  private static dev.quarry.proto.v1.StorageReply read(WorkerSession s, String inv, String key) {
    return s.storage(
        StorageCall.newBuilder()
            .setInvocationId(inv)
            .setOp(StorageCall.Op.OP_READ)
            .setKey(key)
            .setLength(1 << 20)
            .build());
  }

  private static TaskEnvelope envelope(String id, String task) {
    return TaskEnvelope.newBuilder()
        .setInvocationId(id)
        .setTenantId("a")
        .addTasks(
            TaskInput.newBuilder()
                .setTaskId(task)
                .setIndex(3)
                .setAttempt(1)
                .setKey("tenants/a/jobs/j/inputs/" + task)
                .setResultKey("tenants/a/jobs/j/results/" + task))
        .build();
  }

  private static InvocationSummary summary(TaskEnvelope e) {
    TaskInput t = e.getTasks(0);
    return InvocationSummary.newBuilder()
        .setInvocationId(e.getInvocationId())
        .addOutcomes(
            TaskOutcome.newBuilder()
                .setTaskId(t.getTaskId())
                .setAttempt(t.getAttempt())
                .setIndex(t.getIndex())
                .setOk(true)
                .setResultKey(t.getResultKey()))
        .build();
  }

  private static final class Link implements WorkerLink {
    final List<TaskEnvelope> sent = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    volatile boolean disconnected;
    volatile int drained;

    @Override
    public void send(TaskEnvelope envelope) {
      sent.add(envelope);
    }

    @Override
    public void leaseLost(String invocationId, String reason) {
      lost.add(invocationId);
    }

    @Override
    public void drained() {
      drained++;
    }

    @Override
    public void disconnect(String reason) {
      disconnected = true;
    }
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
