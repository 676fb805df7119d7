package dev.quarry.server.observability;

import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.QueueCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Queue gauges read from PostgreSQL when scraped, never per task: {@code quarry.jobs.running},
 * {@code quarry.tasks{state=pending|running}} (cluster-wide, every replica reports the same
 * values). One statement over the partial indexes on open jobs and tasks, its answer kept for
 * {@link #MAX_AGE} so scrapes by several Prometheus servers cost one query.
 */
@Component
public class QueueMetrics implements MeterBinder {
  static final Duration MAX_AGE = Duration.ofSeconds(10);
  private final TaskStore tasks;
  private final Clock clock;
  private QueueCounts counts = new QueueCounts(0, 0, 0);
  private Instant readAt = Instant.MIN;

  public QueueMetrics(TaskStore tasks, Clock clock) {
    this.tasks = tasks;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("quarry.jobs.running", this, m -> m.counts().jobsRunning())
        .description("Jobs not finished yet, all tenants")
        .register(registry);
    Gauge.builder("quarry.tasks", this, m -> m.counts().tasksPending())
        .tag("state", "pending")
        .description("Futures by state, all tenants (pending = queue depth)")
        .register(registry);
    Gauge.builder("quarry.tasks", this, m -> m.counts().tasksRunning())
        .tag("state", "running")
        .description("Futures by state, all tenants (pending = queue depth)")
        .register(registry);
  }

  synchronized QueueCounts counts() {
    Instant now = clock.instant();
    if (readAt.plus(MAX_AGE).isBefore(now)) {
      try {
        counts = tasks.queueCounts();
        readAt = now;
      } catch (RuntimeException e) {
        // the database is down: keep the last values, health says why
        return counts;
      }
    }
    return counts;
  }
}
