package dev.quarry.cli;

import dev.quarry.server.QuarryServer;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real server for the CLI tests, in the test JVM: a fresh PostgreSQL database ({@link
 * CliDatabase}), filesystem storage and two local workers. The CLI's tests are about the CLI,
 * so the workers run unsandboxed ({@code quarry.backend.sandbox=none}): the machine needs no
 * bubblewrap. Trimmed copy of the server module's {@code TestServer}; switch to the testkit's
 * once it exists.
 */
final class CliServer {
  static final String OPERATOR_KEY = "cli-test-operator-key-0123456789abcdef";
  private static CliServer instance;

  final Path home;
  final int grpcPort;
  final String apiKey;

  private CliServer(Path home, int grpcPort, String apiKey) {
    this.home = home;
    this.grpcPort = grpcPort;
    this.apiKey = apiKey;
  }

  static synchronized CliServer get() throws Exception {
    if (instance == null) {
      CliDatabase db = CliDatabase.create();
      Path home = Files.createTempDirectory("quarry-cli-test-home");
      ConfigurableApplicationContext ctx =
          new SpringApplication(QuarryServer.class)
              .run(
                  "--quarry.home=" + home,
                  "--quarry.db.url=" + db.url(),
                  "--quarry.db.username=" + db.user(),
                  "--server.port=0",
                  "--quarry.grpc.port=0",
                  "--quarry.backend.pool-size=2",
                  "--quarry.backend.sandbox=none",
                  "--quarry.operator-key=" + OPERATOR_KEY);
      int grpc = ctx.getBean(GrpcServerLifecycle.class).port();
      Properties config = new Properties();
      try (Reader r = Files.newBufferedReader(home.resolve("config"))) {
        config.load(r);
      }
      instance = new CliServer(home, grpc, config.getProperty("api_key"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          ctx.close();
          db.close();
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
