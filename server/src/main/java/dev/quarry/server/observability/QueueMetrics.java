package dev.quarry.server.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
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
  private static final String COUNTS =
      """
      select (select count(*) from jobs where state = 'RUNNING') as jobs_running,
             (select count(*) from tasks where state = 'PENDING') as tasks_pending,
             (select count(*) from tasks where state = 'RUNNING') as tasks_running
      """;

  private final JdbcClient jdbc;
  private final Clock clock;
  private Counts counts = new Counts(0, 0, 0);
  private Instant readAt = Instant.MIN;

  record Counts(long jobsRunning, long tasksPending, long tasksRunning) {}

  public QueueMetrics(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
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

  synchronized Counts counts() {
    Instant now = clock.instant();
    if (readAt.plus(MAX_AGE).isBefore(now)) {
      try {
        counts = jdbc.sql(COUNTS)
            .query((rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
            .single();
        readAt = now;
      } catch (RuntimeException e) {
        // the database is down: keep the last values, health says why
        return counts;
      }
    }
    return counts;
  }
}
