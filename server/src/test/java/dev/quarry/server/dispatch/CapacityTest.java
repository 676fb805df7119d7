package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.server.cluster.ReplicaShare;
import dev.quarry.server.limits.TestLimits;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Budgets per lane and the local pool's adaptive backlog, without a dispatcher. */
class CapacityTest {

  @Test
  void aFullBudgetParksItsJobsUntilASlotIsGivenBack() {
    LaneBudgets budgets = new LaneBudgets();
    UUID job = UUID.randomUUID();

    assertThat(budgets.tryAcquireOrPark("t/lambda", 2, UUID.randomUUID())).isTrue();
    assertThat(budgets.tryAcquireOrPark("t/lambda", 2, UUID.randomUUID())).isTrue();
    assertThat(budgets.parked()).isEmpty();
    assertThat(budgets.tryAcquireOrPark("t/lambda", 2, job)).isFalse();
    assertThat(budgets.parked()).containsExactly(job);
    // another budget is not affected
    assertThat(budgets.tryAcquireOrPark("u/lambda", 1, UUID.randomUUID())).isTrue();

    budgets.release("t/lambda");

    assertThat(budgets.parked()).isEmpty();
    assertThat(budgets.tryAcquireOrPark("t/lambda", 2, job)).isTrue();
  }

  @Test
  void aSlotGivenBackWhileAJobIsBeingParkedNeverLeavesItParked() throws Exception {
    // The dispatcher parks while invocations end on other threads: whatever the interleaving, a
    // job is parked only while its budget is full.
    LaneBudgets budgets = new LaneBudgets();
    for (int round = 0; round < 2_000; round++) {
      UUID job = UUID.randomUUID();
      assertThat(budgets.tryAcquireOrPark("b", 1, UUID.randomUUID())).isTrue();
      Thread ender = Thread.ofPlatform().start(() -> budgets.release("b"));
      boolean took = budgets.tryAcquireOrPark("b", 1, job);
      ender.join();
      if (took) {
        budgets.release("b");
      }
      assertThat(budgets.parked()).as("round %d", round).isEmpty();
    }
  }

  @Test
  void anInvocationEndingWhileItsTenantIsMarkedSaturatedNeverLeavesItMarked() throws Exception {
    TenantConcurrency tenants =
        new TenantConcurrency(TestLimits.everyTenant(1), new ReplicaShare());
    for (int round = 0; round < 2_000; round++) {
      assertThat(tenants.tryAcquire("t")).isTrue();
      Thread ender = Thread.ofPlatform().start(() -> tenants.release("t"));
      boolean took = tenants.tryAcquire("t");
      ender.join();
      if (took) {
        tenants.release("t");
      }
      assertThat(tenants.saturated()).as("round %d", round).isEmpty();
    }
  }

  @Test
  void platformsRunExactlyTheirSlotsAndTheLocalPoolQueuesHalfASecondOfWork() {
    AdaptiveBacklog backlog = new AdaptiveBacklog();
    assertThat(backlog.limit(10, false)).isEqualTo(10);
    // the first estimate is 100 ms per invocation: 500 ms of work is 5 per slot
    assertThat(backlog.limit(2, true)).isEqualTo(2 + 10);

    for (int i = 0; i < 200; i++) {
      backlog.observe(InvocationSummary.newBuilder().setStartMs(0).setEndMs(1).build());
    }
    // fast invocations: the backlog is capped at 16 per slot
    assertThat(backlog.limit(2, true)).isEqualTo(2 + 32);

    for (int i = 0; i < 200; i++) {
      backlog.observe(InvocationSummary.newBuilder().setStartMs(0).setEndMs(2_000).build());
    }
    // slow invocations: no backlog past the slots
    assertThat(backlog.limit(2, true)).isEqualTo(2);
  }
}
