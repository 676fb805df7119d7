package dev.quarry.server.jobs;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * "Work may be runnable now": published after a submit commits, after outcomes put tasks back to
 * PENDING, after the reaper reclaims tasks, when an invocation ends, and when another replica says
 * so through {@code LISTEN}; the dispatcher waits on it. Signals are not counted: any number of
 * them before a wait wakes it once.
 *
 * <p>{@link #origin()} names this replica in its own {@code NOTIFY quarry_work}: a submit wakes the
 * dispatcher here in-process, so the listener skips the echo of its own notification and only other
 * replicas wake on it.
 */
@Component
public class WorkSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final String origin = UUID.randomUUID().toString();
  private boolean signalled;

  /** The payload of this replica's {@code quarry_work} notifications. */
  public String origin() {
    return origin;
  }

  public void wakeUp() {
    lock.lock();
    try {
      signalled = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns at once if signalled since the last call, else waits for a signal or {@code timeout};
   * clears the signal either way.
   */
  public void await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      if (!signalled) {
        changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      signalled = false;
    } finally {
      lock.unlock();
    }
  }
}
