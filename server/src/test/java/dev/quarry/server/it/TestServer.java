package dev.quarry.server.it;

import dev.quarry.server.QuarryServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real server for the whole test JVM: a fresh PostgreSQL database, filesystem storage in a
 * temp dir, two local worker processes, REST and gRPC on free loopback ports. Started on first
 * use, stopped when the JVM exits.
 */
public final class TestServer {
  static final String OPERATOR_KEY = "test-operator-key-0123456789abcdef";
  private static TestServer instance;

  final ConfigurableApplicationContext context;
  final TestDatabase database;
  final Path home;
  final int httpPort;
  final int grpcPort;
  /** Actuator (health, metrics): its own port, a free one in tests. */
  final int managementPort;
  final String apiKey;

  private TestServer(
      ConfigurableApplicationContext context, TestDatabase database, Path home, int httpPort,
      int grpcPort, String apiKey) {
    this.context = context;
    this.database = database;
    this.home = home;
    this.httpPort = httpPort;
    this.managementPort =
        Integer.parseInt(context.getEnvironment().getProperty("local.management.port", "-1"));
    this.grpcPort = grpcPort;
    this.apiKey = apiKey;
  }

  public static synchronized TestServer get() throws Exception {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private static TestServer start() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path home = Files.createTempDirectory("quarry-test-home");
    SpringApplication app = new SpringApplication(QuarryServer.class);
    // Only this class's hook closes the context, before it drops the database: with Spring's own
    // hook too, both would run at once and the beans would stop against a dropped database.
    app.setRegisterShutdownHook(false);
    ConfigurableApplicationContext ctx =
        app
            .run(
                "--quarry.home=" + home,
                "--quarry.db.url=" + db.url(),
                "--quarry.db.username=" + db.user(),
                "--server.port=0",
                "--quarry.grpc.port=0",
                "--quarry.backend.pool-size=2",
                "--quarry.limits.max-inputs-per-job=20000",
                "--quarry.limits.max-input-bytes=65536",
                "--quarry.limits.max-request-bytes=8388608",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.operator-key=" + OPERATOR_KEY,
                "--quarry.backend.resilience.sliding-window-size=10",
                "--quarry.backend.resilience.minimum-number-of-calls=5",
                "--quarry.backend.resilience.wait-duration-in-open-state=3s");
    int http = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    int grpc = ctx.getBean(dev.quarry.server.grpc.GrpcServerLifecycle.class).port();
    return new TestServer(ctx, db, home, http, grpc, devKey(home));
  }

  /** The dev API key a server wrote to {@code home/config} at first start. */
  static String devKey(Path home) throws IOException {
    Properties config = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("config"))) {
      config.load(r);
    }
    return config.getProperty("api_key");
  }

  Path configFile() {
    return home.resolve("config");
  }

  Path dataDir() {
    return home.resolve("data");
  }

  String restUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  String grpcTarget() {
    return "127.0.0.1:" + grpcPort;
  }

  private void stop() {
    try {
      context.close();
      database.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }

  static void deleteQuietly(Path p) throws IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
