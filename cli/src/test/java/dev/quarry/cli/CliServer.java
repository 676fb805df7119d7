package dev.quarry.cli;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.ServerFixture;
import java.nio.file.Path;

/**
 * One real server for the CLI tests, in the test JVM (the test kit's {@link ServerFixture}: a fresh
 * PostgreSQL database, filesystem storage, two local workers). The CLI's tests are about the CLI,
 * so the workers run unsandboxed ({@code quarry.backend.sandbox=none}).
 */
final class CliServer {
  static final String OPERATOR_KEY = "cli-test-operator-key-0123456789abcdef";
  private static CliServer instance;

  final Path home;
  final int grpcPort;
  final String apiKey;

  private CliServer(ServerFixture fixture) {
    this.home = fixture.home();
    this.grpcPort = fixture.grpcPort();
    this.apiKey = fixture.devKey();
  }

  static synchronized CliServer get() throws Exception {
    if (instance == null) {
      ServerFixture fixture =
          ServerFixture.builder(QuarryServer.class)
              .arg(
                  "--quarry.backend.pool-size=2",
                  "--quarry.backend.sandbox=none",
                  "--quarry.operator-key=" + OPERATOR_KEY)
              .start();
      instance = new CliServer(fixture);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      fixture.close();
                    } catch (Exception e) {
                      // best effort at JVM exit
                    }
                  }));
    }
    return instance;
  }

  String target() {
    return "127.0.0.1:" + grpcPort;
  }
}
