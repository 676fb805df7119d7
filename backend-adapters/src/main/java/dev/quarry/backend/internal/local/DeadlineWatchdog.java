package dev.quarry.backend.internal.local;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Kills a worker whose running invocation is still unanswered {@code grace} after its deadline. A
 * worker runs its envelopes one by one, so only the head of its in-flight queue is watched; the
 * timer is re-armed whenever the head changes. Methods other than {@link #close} are called with
 * the backend lock held.
 */
final class DeadlineWatchdog implements AutoCloseable {
  private final Duration grace;
  private final Lock lock;
  private final ScheduledThreadPoolExecutor timers;

  DeadlineWatchdog(Duration grace, Lock lock) {
    this.grace = grace;
    this.lock = lock;
    this.timers =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("quarry-local-deadlines").unstarted(r));
    timers.setRemoveOnCancelPolicy(true);
  }

  /** Re-arms the timer of {@code worker} for its current head invocation, if it has a deadline. */
  void watchHead(WorkerProcess worker) {
    cancel(worker);
    PendingInvocation head = worker.inFlight.peekFirst();
    if (head == null || head.envelope().getDeadlineMs() <= 0) {
      return;
    }
    long delay = head.envelope().getDeadlineMs() + grace.toMillis() - System.currentTimeMillis();
    worker.deadlineTimer =
        timers.schedule(() -> expire(worker, head), Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  void cancel(WorkerProcess worker) {
    if (worker.deadlineTimer != null) {
      worker.deadlineTimer.cancel(false);
      worker.deadlineTimer = null;
    }
  }

  private void expire(WorkerProcess worker, PendingInvocation head) {
    lock.lock();
    try {
      if (worker.inFlight.peekFirst() == head) {
        worker.kill(
            "timed out: invocation "
                + head.id()
                + " ran more than "
                + grace.toMillis()
                + " ms past its deadline");
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
