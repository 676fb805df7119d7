package dev.quarry.server.dispatch;

import dev.quarry.server.credentials.ProfileService;
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
 * changed: wake its readers), {@code quarry_keys} (a key was revoked or a tenant disabled: forget
 * cached key checks) and {@code quarry_profiles} (a profile was written: forget cached profiles),
 * so every replica reacts to the others at once. Its own {@code quarry_work} notifications (payload
 * {@link WorkSignal#origin()}) are skipped: the submit woke the dispatcher in-process.
 */
@Component
class PgListener extends SupervisedLoop {
  private static final Logger log = LoggerFactory.getLogger(PgListener.class);

  private final DataSource dataSource;
  private final WorkSignal work;
  private final JobSignals signals;
  private final dev.quarry.server.auth.ApiKeyService keys;
  private final ProfileService profiles;
  static final String LOOP = "quarry-listen";

  PgListener(
      DataSource dataSource,
      WorkSignal work,
      JobSignals signals,
      dev.quarry.server.auth.ApiKeyService keys,
      ProfileService profiles,
      LoopSupervisor supervisor) {
    super(supervisor, LOOP);
    this.profiles = profiles;
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
        s.execute("listen quarry_profiles");
        // notifications sent while this connection was not listening are lost: forget what they
        // may have invalidated
        profiles.invalidateAll();
        PGConnection pg = c.unwrap(PGConnection.class);
        supervisor().roundSucceeded(LOOP);
        while (running()) {
          PGNotification[] batch = pg.getNotifications(500);
          if (batch == null) {
            continue;
          }
          for (PGNotification n : batch) {
            if (n.getName().equals("quarry_work")) {
              // this replica's own submits woke its dispatcher in-process already
              if (!n.getParameter().equals(work.origin())) {
                work.wakeUp();
              }
            } else if (n.getName().equals("quarry_keys")) {
              keys.invalidateAll();
            } else if (n.getName().equals("quarry_profiles")) {
              profiles.invalidateAll();
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
