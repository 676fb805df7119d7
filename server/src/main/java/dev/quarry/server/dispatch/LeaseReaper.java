package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.JobRepository;
import dev.quarry.server.jobs.JobSignals;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reclaims tasks whose lease ran out (a lost response, a replica that died): back to PENDING
 * while attempts remain, otherwise FAILED. Runs on every replica; the updates are idempotent.
 */
@Component
class LeaseReaper {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  private static final String REAP =
      "update tasks t set state = case when t.attempt >= j.max_attempts then 'FAILED'"
          + " else 'PENDING' end,"
          + " finish_seq = case when t.attempt >= j.max_attempts then nextval('finish_seq') end,"
          + " finished_at = case when t.attempt >= j.max_attempts then now() end,"
          + " error_type = 'dev.quarry.LeaseExpired',"
          + " error_message = 'no answer from the worker before the lease expired',"
          + " function_error = false, lease_owner = null, lease_expires_at = null"
          + " from jobs j where t.state = 'RUNNING' and t.lease_expires_at < now()"
          + " and j.id = t.job_id returning t.job_id";

  private final JdbcClient jdbc;
  private final JobRepository jobs;
  private final JobSignals signals;
  private final Dispatcher dispatcher;

  LeaseReaper(JdbcClient jdbc, JobRepository jobs, JobSignals signals, Dispatcher dispatcher) {
    this.jdbc = jdbc;
    this.jobs = jobs;
    this.signals = signals;
    this.dispatcher = dispatcher;
  }

  @Scheduled(fixedDelayString = "${quarry.dispatch.reaper-interval:5s}")
  void reap() {
    List<UUID> reaped = jdbc.sql(REAP).query(UUID.class).list();
    if (reaped.isEmpty()) {
      return;
    }
    log.warn("Reclaimed {} tasks whose lease expired", reaped.size());
    reaped.stream().distinct().forEach(job -> {
      jobs.finishIfDone(job);
      signals.signal(job);
    });
    dispatcher.wakeUp();
  }
}
