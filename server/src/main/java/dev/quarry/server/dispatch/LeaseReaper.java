package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.jobs.JobRepository;
import dev.quarry.server.jobs.JobSignals;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reclaims tasks whose lease ran out (a lost response) or whose replica stopped sending
 * heartbeats (it crashed or was killed): back to PENDING while attempts remain, otherwise FAILED.
 * Runs on every replica; the updates are idempotent. A replica is dead after four reaper
 * intervals without a heartbeat.
 */
@Component
class LeaseReaper {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  private static final String EXPIRED =
      "t.lease_expires_at < now() or not exists (select 1 from replicas r"
          + " where r.owner = t.lease_owner and r.heartbeat_at > now() - ? * interval '1 millisecond')";

  private static final String CANDIDATES =
      "select distinct t.job_id from tasks t where t.state = 'RUNNING' and (" + EXPIRED + ")";

  private static final String REAP =
      "update tasks t set state = case when t.attempt >= j.max_attempts then 'FAILED'"
          + " else 'PENDING' end,"
          + " finish_seq = case when t.attempt >= j.max_attempts then nextval('finish_seq') end,"
          + " finished_at = case when t.attempt >= j.max_attempts then now() end,"
          + " error_type = 'dev.quarry.LeaseExpired',"
          + " error_message = 'no answer before the lease expired or its replica stopped',"
          + " function_error = false, lease_owner = null, lease_expires_at = null"
          + " from jobs j where t.state = 'RUNNING' and j.id = t.job_id and j.id = any(?)"
          + " and (" + EXPIRED + ") returning t.job_id";

  private final JdbcClient jdbc;
  private final JobRepository jobs;
  private final JobSignals signals;
  private final Dispatcher dispatcher;
  private final QuarryProperties props;
  private final ReplicaHeartbeat replica;
  private final dev.quarry.server.supervision.LoopSupervisor supervisor;
  private final TransactionTemplate tx;

  LeaseReaper(
      JdbcClient jdbc,
      JobRepository jobs,
      JobSignals signals,
      Dispatcher dispatcher,
      QuarryProperties props,
      ReplicaHeartbeat replica,
      TransactionTemplate tx,
      dev.quarry.server.supervision.LoopSupervisor supervisor) {
    this.supervisor = supervisor;
    this.tx = tx;
    this.props = props;
    this.replica = replica;
    this.jdbc = jdbc;
    this.jobs = jobs;
    this.signals = signals;
    this.dispatcher = dispatcher;
  }

  @Scheduled(fixedDelayString = "${quarry.dispatch.reaper-interval:5s}")
  void reap() {
    supervisor.runTask("quarry-reaper", this::reapOnce);
  }

  private void reapOnce() {
    replica.beat();
    long deadAfter = props.dispatch().reaperInterval().toMillis() * 4;
    List<UUID> candidates = jdbc.sql(CANDIDATES).param(deadAfter).query(UUID.class).list();
    if (candidates.isEmpty()) {
      return;
    }
    // Like the outcome recorder: lock the jobs first, then fail or requeue their tasks and finish
    // the jobs in the same transaction, so a failed last task and its job's end commit together.
    List<UUID> reaped =
        tx.execute(
            status -> {
              jobs.lockForUpdate(candidates);
              List<UUID> rows =
                  jdbc.sql(REAP)
                      .params(candidates.toArray(UUID[]::new), deadAfter)
                      .query(UUID.class)
                      .list();
              jobs.finishIfDone(rows.stream().distinct().toList());
              return rows;
            });
    if (reaped == null || reaped.isEmpty()) {
      return;
    }
    log.warn("Reclaimed {} tasks whose lease expired or whose replica stopped", reaped.size());
    reaped.stream().distinct().forEach(signals::signal);
    dispatcher.wakeUp();
  }
}
