package dev.quarry.server.dispatch;

import dev.quarry.server.cluster.ReplicaShare;
import dev.quarry.server.limits.LimitsService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Invocations in flight per tenant against this replica's share of its {@code
 * maxConcurrentInvocations} quota (the shares of all replicas add up to the quota). Tenants at
 * their quota are skipped by claims until one of their invocations ends, so one tenant's backlog
 * never holds slots another tenant could use.
 */
@Component
class TenantConcurrency {
  private final LimitsService limits;
  private final ReplicaShare share;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Set<String> saturated = ConcurrentHashMap.newKeySet();

  TenantConcurrency(LimitsService limits, ReplicaShare share) {
    this.limits = limits;
    this.share = share;
  }

  /** This replica's part of the tenant's quota, which holds across all replicas. */
  private int limit(String tenant) {
    return share.of(limits.of(tenant).maxConcurrentInvocations());
  }

  /**
   * Takes one of the tenant's slots, or marks it saturated and says no. The count and the mark
   * change together under the tenant's counter, so an invocation that ends meanwhile cannot leave
   * the tenant marked with nothing in flight.
   */
  boolean tryAcquire(String tenant) {
    int limit = limit(tenant);
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
    int limit = limit(tenant);
    AtomicInteger running = inFlight.get(tenant);
    synchronized (running) {
      if (running.decrementAndGet() < limit) {
        saturated.remove(tenant);
      }
    }
  }

  /**
   * Tenants whose tasks claims should skip now. A tenant whose limit grew since it was marked (the
   * operator raised it, or a replica left and the shares grew) is unmarked here, as no ending
   * invocation of its may come to do it.
   */
  Set<String> saturated() {
    for (String tenant : saturated) {
      AtomicInteger running = inFlight.get(tenant);
      synchronized (running) {
        if (running.get() < limit(tenant)) {
          saturated.remove(tenant);
        }
      }
    }
    return Set.copyOf(saturated);
  }
}
