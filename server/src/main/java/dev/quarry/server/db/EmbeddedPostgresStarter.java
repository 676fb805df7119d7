package dev.quarry.server.db;

import dev.quarry.server.QuarryProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded PostgreSQL on a data directory that survives restarts, whatever state the
 * previous run left it in.
 *
 * <p>The embedded server is a daemon of its own ({@code pg_ctl start}), so when the Quarry server
 * is killed ({@code kill -9}, OOM killer) it keeps running and holds the data directory. A new
 * start first stops such an orphan with a fast shutdown (SIGINT), then starts a fresh server; a
 * stale {@code postmaster.pid} of a process that is gone is left to PostgreSQL, which ignores it.
 * Crash recovery may take longer than the embedded library's 10 s default, so the wait is
 * configurable. Durable by default: {@code fsync} and synchronous commit are on.
 */
public final class EmbeddedPostgresStarter {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresStarter.class);

  private EmbeddedPostgresStarter() {}

  static EmbeddedPostgres start(Path dir, QuarryProperties.Db db) throws IOException {
    Files.createDirectories(dir);
    Duration timeout = db.embeddedStartupTimeout();
    stopOrphan(dir, timeout);
    boolean unsafe = db.embeddedUnsafeFast();
    if (unsafe) {
      log.warn(
          "quarry.db.embedded-unsafe-fast=true: fsync and synchronous commit are off; a host crash"
              + " can lose acknowledged jobs");
    }
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(db.embeddedPort())
        .setPGStartupWait(timeout)
        // Spring stops it after the connection pool closed; the library's own shutdown hook
        // would stop it while the server still uses it.
        .setRegisterShutdownHook(false)
        // The library starts PostgreSQL with -F (fsync off) and synchronous_commit=off; settings
        // given with -c come later on the command line and win.
        .setServerConfig("fsync", unsafe ? "off" : "on")
        .setServerConfig("synchronous_commit", unsafe ? "off" : "on")
        .setServerConfig("full_page_writes", "on")
        .start();
  }

  /** Stops a PostgreSQL still running on {@code dir} from a previous, killed server. */
  public static void stopOrphan(Path dir, Duration timeout) throws IOException {
    Optional<ProcessHandle> orphan = postmaster(dir);
    if (orphan.isEmpty()) {
      return;
    }
    long pid = orphan.get().pid();
    log.warn(
        "A PostgreSQL from a previous run (pid {}) still holds {}; stopping it before starting",
        pid,
        dir);
    signalFastShutdown(pid);
    try {
      orphan.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while stopping the previous PostgreSQL", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(
          "The PostgreSQL of a previous run (pid "
              + pid
              + ") did not stop within "
              + timeout
              + "; stop it and start again",
          e);
    }
  }

  /** The live postmaster named by {@code dir/postmaster.pid}, if it is a PostgreSQL process. */
  static Optional<ProcessHandle> postmaster(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.size() < 2) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }

  private static void signalFastShutdown(long pid) throws IOException {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("Could not signal the previous PostgreSQL (pid " + pid + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while stopping the previous PostgreSQL", e);
    }
  }
}
