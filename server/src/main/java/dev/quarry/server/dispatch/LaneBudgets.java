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

  /** Takes a slot of {@code budget} if fewer than {@code limit} are in flight. */
  boolean tryAcquire(String budget, int limit) {
    AtomicInteger n = inFlight.computeIfAbsent(budget, b -> new AtomicInteger());
    while (true) {
      int now = n.get();
      if (now >= limit) {
        return false;
      }
      if (n.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back; jobs waiting for this budget become claimable again. */
  void release(String budget) {
    inFlight.get(budget).decrementAndGet();
    waiting.remove(budget);
  }

  /** Remembers that {@code job} waits for {@code budget}. */
  void park(String budget, UUID job) {
    waiting.computeIfAbsent(budget, b -> ConcurrentHashMap.newKeySet()).add(job);
  }

  /** Jobs claims should skip now. */
  Set<UUID> parked() {
    return waiting.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
  }
}
