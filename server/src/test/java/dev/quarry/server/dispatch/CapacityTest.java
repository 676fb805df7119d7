package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.InvocationSummary;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Budgets per lane and the local pool's adaptive backlog, without a dispatcher. */
class CapacityTest {

  @Test
  void aFullBudgetParksItsJobsUntilASlotIsGivenBack() {
    LaneBudgets budgets = new LaneBudgets();
    UUID job = UUID.randomUUID();

    assertThat(budgets.tryAcquire("t/lambda", 2)).isTrue();
    assertThat(budgets.tryAcquire("t/lambda", 2)).isTrue();
    assertThat(budgets.tryAcquire("t/lambda", 2)).isFalse();
    budgets.park("t/lambda", job);
    assertThat(budgets.parked()).containsExactly(job);
    // another budget is not affected
    assertThat(budgets.tryAcquire("u/lambda", 1)).isTrue();

    budgets.release("t/lambda");

    assertThat(budgets.parked()).isEmpty();
    assertThat(budgets.tryAcquire("t/lambda", 2)).isTrue();
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
