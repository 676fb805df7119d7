package dev.quarry.server.dispatch;

import dev.quarry.server.backend.LaneCapacityChanged;
import dev.quarry.server.jobs.WorkSignal;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A lane's capacity changed by itself (a pull worker joined or left): the jobs parked on its budget
 * are claimable again and the dispatcher looks at once, so a worker that connects to a backlog gets
 * work without waiting for the poll interval.
 */
@Component
class CapacityListener {
  private final LaneBudgets budgets;
  private final WorkSignal work;

  CapacityListener(LaneBudgets budgets, WorkSignal work) {
    this.budgets = budgets;
    this.work = work;
  }

  @EventListener
  void changed(LaneCapacityChanged event) {
    budgets.unpark(event.budget());
    work.wakeUp();
  }
}
