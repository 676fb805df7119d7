package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.cluster.ReplicaShare;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This replica's name (the lease owner of the tasks it claims) and its heartbeat row, written
 * before the dispatcher starts and every reaper interval after. Tasks of a replica whose heartbeat
 * stopped are reclaimed by the {@link LeaseReaper} of any other replica; a replica that stops
 * cleanly removes its row after the dispatcher stopped, so its leases are reclaimable at once. Each
 * beat also tells the {@link ReplicaShare} which replicas are alive.
 */
@Component
class ReplicaHeartbeat implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ReplicaHeartbeat.class);
  private final JdbcClient jdbc;
  private final ReplicaShare share;
  private final Duration deadAfter;
  private final String owner;
  private volatile boolean running;

  ReplicaHeartbeat(JdbcClient jdbc, QuarryProperties props, ReplicaShare share) {
    this.jdbc = jdbc;
    this.share = share;
    // as the lease reaper: a replica is dead after four intervals without a heartbeat
    this.deadAfter = props.dispatch().reaperInterval().multipliedBy(4);
    String configured = props.dispatch().owner();
    // A unique suffix: a restarted process may reuse a pid, and must not inherit the leases.
    this.owner =
        (configured.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : configured)
            + "/"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  String owner() {
    return owner;
  }

  @Scheduled(fixedDelayString = "${quarry.dispatch.reaper-interval:5s}")
  void beat() {
    if (!running) {
      return;
    }
    try {
      write();
    } catch (RuntimeException e) {
      // the database is down: health says so; the next beat tries again
      log.warn("Could not write this replica's heartbeat: {}", e.toString());
    }
  }

  /** Writes this replica's heartbeat, then reads which replicas live to share the quotas. */
  private void write() {
    jdbc.sql(
            "insert into replicas (owner) values (?) on conflict (owner) do update"
                + " set heartbeat_at = now()")
        .param(owner)
        .update();
    List<String> live =
        jdbc.sql(
                "select owner from replicas"
                    + " where heartbeat_at > now() - ? * interval '1 millisecond'")
            .param(deadAfter.toMillis())
            .query(String.class)
            .list();
    share.update(live, owner);
  }

  @Override
  public void start() {
    write();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    try {
      jdbc.sql("delete from replicas where owner = ?").param(owner).update();
    } catch (RuntimeException e) {
      log.warn("Could not remove this replica's heartbeat: {}", e.toString());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the dispatcher (phase 200) starts, after it stops. */
  @Override
  public int getPhase() {
    return 150;
  }
}
