package dev.quarry.server.jobs;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * In-process wake-ups for readers of a job (result streams, watchers). Writers call {@link #signal}
 * after a change is committed; readers re-query and then {@link #await} the next change.
 * Notifications from other replicas arrive through PostgreSQL LISTEN and call {@link #signal} too.
 */
@Component
public class JobSignals {
  private final ConcurrentHashMap<UUID, Slot> slots = new ConcurrentHashMap<>();

  /** Wakes everyone waiting on {@code job}. */
  public void signal(UUID job) {
    Slot slot = slots.get(job);
    if (slot != null) {
      synchronized (slot) {
        slot.version++;
        slot.notifyAll();
      }
    }
  }

  /** The current version of {@code job}'s signal, to pass to {@link #await}. */
  public long version(UUID job) {
    Slot slot = slots.computeIfAbsent(job, k -> new Slot());
    synchronized (slot) {
      slot.waiters++;
      return slot.version;
    }
  }

  /**
   * Waits until {@code job} is signalled after {@code seen} or the timeout passes; returns the new
   * version. Callers must balance each {@link #version} with {@link #release}.
   */
  public long await(UUID job, long seen, Duration timeout) throws InterruptedException {
    Slot slot = slots.computeIfAbsent(job, k -> new Slot());
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (slot) {
      while (slot.version == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        slot.wait(Math.max(1, left / 1_000_000));
      }
      return slot.version;
    }
  }

  /** Forgets the slot of {@code job} when its last reader leaves. */
  public void release(UUID job) {
    slots.computeIfPresent(
        job,
        (k, slot) -> {
          synchronized (slot) {
            slot.waiters--;
            return slot.waiters <= 0 ? null : slot;
          }
        });
  }

  private static final class Slot {
    long version;
    int waiters;
  }
}
