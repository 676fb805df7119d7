package dev.quarry.server.dispatch;

import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.WorkSignal;
import dev.quarry.server.supervision.LoopSupervisor;
import dev.quarry.server.supervision.SupervisedLoop;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Listens on {@code quarry_work} (new tasks: wake the dispatcher), {@code quarry_job} (a job
 * changed: wake its readers) and {@code quarry_keys} (a key was revoked or a tenant disabled:
 * forget cached key checks), so every replica reacts to the others at once.
 */
@Component
class PgListener extends SupervisedLoop {
  private static final Logger log = LoggerFactory.getLogger(PgListener.class);

  private final DataSource dataSource;
  private final WorkSignal work;
  private final JobSignals signals;
  private final dev.quarry.server.auth.ApiKeyService keys;
  static final String LOOP = "quarry-listen";

  PgListener(
      DataSource dataSource,
      WorkSignal work,
      JobSignals signals,
      dev.quarry.server.auth.ApiKeyService keys,
      LoopSupervisor supervisor) {
    super(supervisor, LOOP);
    this.keys = keys;
    this.dataSource = dataSource;
    this.work = work;
    this.signals = signals;
  }

  @Override
  protected void loop() {
    while (running()) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("listen quarry_work");
        s.execute("listen quarry_job");
        s.execute("listen quarry_keys");
        PGConnection pg = c.unwrap(PGConnection.class);
        supervisor().roundSucceeded(LOOP);
        while (running()) {
          PGNotification[] batch = pg.getNotifications(500);
          if (batch == null) {
            continue;
          }
          for (PGNotification n : batch) {
            if (n.getName().equals("quarry_work")) {
              work.wakeUp();
            } else if (n.getName().equals("quarry_keys")) {
              keys.invalidateAll();
            } else if (!n.getParameter().isEmpty()) {
              signals.signal(UUID.fromString(n.getParameter()));
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (running()) {
          supervisor().roundFailed(LOOP, e);
          log.warn("LISTEN connection lost ({}); reconnecting", e.toString());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }
}
