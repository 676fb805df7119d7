package dev.quarry.server.dispatch;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Invocations in flight per backend budget (the local pool, each Lambda profile), and the jobs
 * whose budget was full when their tasks were claimed: those are skipped by claims until the budget
 * has room again.
 */
@Component
final class LaneBudgets {
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Set<UUID>> waiting = new ConcurrentHashMap<>();

  /**
   * Takes a slot of {@code budget} if fewer than {@code limit} are in flight; otherwise parks
   * {@code job} until a slot of the budget is given back. Both happen under the budget's counter,
   * as does {@link #release}, so a slot given back meanwhile cannot leave the job parked.
   */
  boolean tryAcquireOrPark(String budget, int limit, UUID job) {
    AtomicInteger n = inFlight.computeIfAbsent(budget, b -> new AtomicInteger());
    synchronized (n) {
      if (n.get() >= limit) {
        waiting.computeIfAbsent(budget, b -> ConcurrentHashMap.newKeySet()).add(job);
        return false;
      }
      n.incrementAndGet();
      return true;
    }
  }

  /** Gives a slot back; jobs waiting for this budget become claimable again. */
  void release(String budget) {
    AtomicInteger n = inFlight.get(budget);
    synchronized (n) {
      n.decrementAndGet();
      waiting.remove(budget);
    }
  }

  /** The budget's capacity changed: its parked jobs become claimable again. */
  void unpark(String budget) {
    AtomicInteger n = inFlight.computeIfAbsent(budget, b -> new AtomicInteger());
    synchronized (n) {
      waiting.remove(budget);
    }
  }

  /** Jobs claims should skip now. */
  Set<UUID> parked() {
    return waiting.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
  }
}
