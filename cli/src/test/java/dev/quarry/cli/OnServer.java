package dev.quarry.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class whose {@link #cli()} runs against the shared test server, in its own home. */
abstract class OnServer {
  static CliServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.get();
  }

  Cli cli() {
    return Cli.forServer(server, home);
  }
}
