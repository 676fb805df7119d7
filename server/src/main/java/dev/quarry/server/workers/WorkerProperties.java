package dev.quarry.server.workers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pull workers ({@code quarry.workers.*}).
 *
 * @param leaseTime a worker's lease on an invocation lasts this long unless a heartbeat renews it;
 *     a worker silent for this long is cut off and its invocations retried (100ms..1h)
 * @param maxSlots the most slots one worker may announce (1..1024)
 * @param tokenRecheck how often connected workers' tokens are checked again, so a token revoked on
 *     another replica (or a disabled tenant) cuts its workers off here too (revocations on this
 *     replica act at once)
 */
@ConfigurationProperties("quarry.workers")
public record WorkerProperties(
    @DefaultValue("30s") Duration leaseTime,
    @DefaultValue("64") int maxSlots,
    @DefaultValue("2s") Duration tokenRecheck) {
  public WorkerProperties {
    if (leaseTime.compareTo(Duration.ofMillis(100)) < 0
        || leaseTime.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "quarry.workers.lease-time must be between 100ms and 1h, got " + leaseTime);
    }
    if (maxSlots < 1 || maxSlots > 1024) {
      throw new IllegalArgumentException(
          "quarry.workers.max-slots must be between 1 and 1024, got " + maxSlots);
    }
    if (tokenRecheck.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("quarry.workers.token-recheck must be at least 100ms");
    }
  }

  /** How often a worker should send a heartbeat: a third of the lease time. */
  public Duration heartbeatInterval() {
    return leaseTime.dividedBy(3);
  }
}
