package dev.quarry.emulator.http;

import com.sun.net.httpserver.HttpServer;

/** Helpers for the JDK's HTTP server. */
public final class Servers {

  private Servers() {}

  /**
   * Starts {@code server} from a daemon thread: its dispatcher thread inherits that status, so an
   * emulator that was never closed does not hold its JVM alive.
   */
  public static void startAsDaemon(HttpServer server) {
    Thread starter = Thread.ofPlatform().daemon().name("emulator-start").start(server::start);
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting an HTTP server", e);
    }
  }
}
