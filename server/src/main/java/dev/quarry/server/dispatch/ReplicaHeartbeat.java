package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This replica's name (the lease owner of the tasks it claims) and its heartbeat row. Tasks of a
 * replica whose heartbeat stopped are reclaimed by the {@link LeaseReaper} of any other replica.
 */
@Component
class ReplicaHeartbeat {
  private final JdbcClient jdbc;
  private final String owner;

  ReplicaHeartbeat(JdbcClient jdbc, QuarryProperties props) {
    this.jdbc = jdbc;
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

  void beat() {
    jdbc.sql(
            "insert into replicas (owner) values (?) on conflict (owner) do update"
                + " set heartbeat_at = now()")
        .param(owner)
        .update();
  }

  /** Leaves cleanly: tasks still leased by this replica become reclaimable at once. */
  void leave() {
    jdbc.sql("delete from replicas where owner = ?").param(owner).update();
  }
}
