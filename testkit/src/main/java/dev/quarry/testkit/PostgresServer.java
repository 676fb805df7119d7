package dev.quarry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The one PostgreSQL server of a test JVM that {@link TestDatabase}s are created on. */
final class PostgresServer {
  static final String USER = "postgres";
  static final String PASSWORD = "postgres";
  static final String IMAGE = "postgres:17";
  private static @Nullable PostgresServer shared;

  private final TestDatabase.Source source;
  private final String hostPort;
  private final AutoCloseable stop;

  private PostgresServer(TestDatabase.Source source, String hostPort, AutoCloseable stop) {
    this.source = source;
    this.hostPort = hostPort;
    this.stop = stop;
  }

  static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer started = start(choice());
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
      shared = started;
    }
    return shared;
  }

  TestDatabase.Source source() {
    return source;
  }

  String urlOf(String database) {
    return "jdbc:postgresql://" + hostPort + "/" + database;
  }

  void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static @Nullable String choice() {
    String forced = System.getProperty("quarry.test.db", System.getenv("QUARRY_TEST_DB"));
    return forced == null || forced.isBlank() ? null : forced.trim().toUpperCase(Locale.ROOT);
  }

  private static PostgresServer start(@Nullable String forced) {
    if (forced != null) {
      return switch (TestDatabase.Source.valueOf(forced)) {
        case TESTCONTAINERS -> container();
        case LOCAL -> {
          PostgresServer local = local();
          if (local == null) {
            throw new IllegalStateException("no PostgreSQL answers on " + localHostPort());
          }
          yield local;
        }
        case EMBEDDED -> embedded();
      };
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return container();
    }
    PostgresServer local = local();
    return local != null ? local : embedded();
  }

  private static PostgresServer container() {
    PostgreSQLContainer container =
        new PostgreSQLContainer(IMAGE)
            .withUsername(USER)
            .withPassword(PASSWORD)
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
    container.start();
    String hostPort = container.getHost() + ":" + container.getMappedPort(5432);
    return new PostgresServer(TestDatabase.Source.TESTCONTAINERS, hostPort, container::stop);
  }

  private static String localHostPort() {
    return System.getenv().getOrDefault("QUARRY_TEST_PG", "127.0.0.1:5432");
  }

  private static @Nullable PostgresServer local() {
    String hostPort = localHostPort();
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + hostPort + "/postgres", USER, PASSWORD)) {
      return new PostgresServer(TestDatabase.Source.LOCAL, hostPort, () -> {});
    } catch (SQLException unreachable) {
      return null;
    }
  }

  private static PostgresServer embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      return new PostgresServer(TestDatabase.Source.EMBEDDED, "127.0.0.1:" + pg.getPort(), pg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
    }
  }

  private void stop() {
    try {
      stop.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }
}
