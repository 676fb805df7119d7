package dev.quarry.server.it;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real server for the whole test JVM ({@link ServerFixture} with the settings the server's
 * tests expect): a fresh PostgreSQL database, filesystem storage in a temp dir, two local worker
 * processes, REST and gRPC on free loopback ports. Started on first use, stopped when the JVM
 * exits. Tests in other packages reach its beans through {@link #context()}.
 */
public final class TestServer {
  static final String OPERATOR_KEY = "test-operator-key-0123456789abcdef";
  private static TestServer instance;

  final ServerFixture fixture;
  final ConfigurableApplicationContext context;
  final TestDatabase database;
  final Path home;
  final int httpPort;
  final int grpcPort;

  /** Actuator (health, metrics): its own port, a free one in tests. */
  final int managementPort;

  final String apiKey;

  private TestServer(ServerFixture fixture) {
    this.fixture = fixture;
    this.context = fixture.context();
    this.database = fixture.database();
    this.home = fixture.home();
    this.httpPort = fixture.httpPort();
    this.grpcPort = fixture.grpcPort();
    this.managementPort = fixture.managementPort();
    this.apiKey = fixture.devKey();
  }

  public static synchronized TestServer get() throws Exception {
    if (instance == null) {
      instance = new TestServer(start());
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  /** The shared server's Spring context, for tests outside this package. */
  public static ConfigurableApplicationContext sharedContext() throws Exception {
    return get().context;
  }

  private static ServerFixture start() throws Exception {
    return ServerFixture.builder(QuarryServer.class)
        .arg(
            "--quarry.backend.pool-size=2",
            "--quarry.limits.max-inputs-per-job=20000",
            "--quarry.limits.max-input-bytes=65536",
            "--quarry.limits.max-request-bytes=8388608",
            "--quarry.dispatch.retry-initial-backoff=50ms",
            "--quarry.operator-key=" + OPERATOR_KEY,
            "--quarry.backend.resilience.sliding-window-size=10",
            "--quarry.backend.resilience.minimum-number-of-calls=5",
            "--quarry.backend.resilience.wait-duration-in-open-state=3s")
        .start();
  }

  /** The dev API key a server wrote to {@code home/config} at first start. */
  static String devKey(Path home) throws IOException {
    return DevConfig.read(home).apiKey();
  }

  Path configFile() {
    return fixture.configFile();
  }

  Path dataDir() {
    return fixture.dataDir();
  }

  String restUrl() {
    return fixture.restUrl();
  }

  String grpcTarget() {
    return fixture.grpcTarget();
  }

  private void stop() {
    try {
      fixture.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }
}
