package dev.quarry.server.dispatch;

import dev.quarry.server.limits.LimitsService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Invocations in flight per tenant against its {@code maxConcurrentInvocations} quota. Tenants at
 * their quota are skipped by claims until one of their invocations ends, so one tenant's backlog
 * never holds slots another tenant could use.
 */
@Component
class TenantConcurrency {
  private final LimitsService limits;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Set<String> saturated = ConcurrentHashMap.newKeySet();

  TenantConcurrency(LimitsService limits) {
    this.limits = limits;
  }

  /**
   * Takes one of the tenant's slots, or marks it saturated and says no. The count and the mark
   * change together under the tenant's counter, so an invocation that ends meanwhile cannot leave
   * the tenant marked with nothing in flight.
   */
  boolean tryAcquire(String tenant) {
    int limit = limits.of(tenant).maxConcurrentInvocations();
    AtomicInteger running = inFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
    synchronized (running) {
      if (running.get() >= limit) {
        saturated.add(tenant);
        return false;
      }
      running.incrementAndGet();
      return true;
    }
  }

  void release(String tenant) {
    int limit = limits.of(tenant).maxConcurrentInvocations();
    AtomicInteger running = inFlight.get(tenant);
    synchronized (running) {
      if (running.decrementAndGet() < limit) {
        saturated.remove(tenant);
      }
    }
  }

  /** Tenants whose tasks claims should skip now. */
  Set<String> saturated() {
    return Set.copyOf(saturated);
  }
}
