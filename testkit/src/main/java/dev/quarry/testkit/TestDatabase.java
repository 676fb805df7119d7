package dev.quarry.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database, dropped by {@link #close()}. Every database of a test JVM
 * lives on one PostgreSQL server, chosen at the first {@link #create()} (see {@link Source}) and
 * stopped when the JVM exits. Any password is accepted (trust authentication, user {@code
 * postgres}), as on a developer's local PostgreSQL.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.create()) {
 *   String url = db.url(); // jdbc:postgresql://127.0.0.1:5432/quarry_test_...
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {
  /**
   * Where the databases live. The first that works wins, unless the system property {@code
   * quarry.test.db} or the environment variable {@code QUARRY_TEST_DB} names one ({@code
   * testcontainers}, {@code local} or {@code embedded}).
   */
  public enum Source {
    /** A {@code postgres:17} container, when a Docker engine answers. */
    TESTCONTAINERS,
    /**
     * {@code QUARRY_TEST_PG} (default {@code 127.0.0.1:5432}), when it answers as {@code postgres}.
     */
    LOCAL,
    /** An embedded PostgreSQL (zonky) in a temporary folder. */
    EMBEDDED
  }

  private final PostgresServer server;
  private final String name = "quarry_test_" + UUID.randomUUID().toString().replace("-", "");

  private TestDatabase(PostgresServer server) {
    this.server = server;
  }

  /**
   * Creates a database on the test JVM's PostgreSQL server, starting that server first if needed.
   *
   * @throws SQLException if the database cannot be created
   */
  public static TestDatabase create() throws SQLException {
    TestDatabase db = new TestDatabase(PostgresServer.shared());
    db.server.execute("create database " + db.name);
    return db;
  }

  /** Where this JVM's databases live. */
  public Source source() {
    return server.source();
  }

  /** The JDBC URL of this database. */
  public String url() {
    return server.urlOf(name);
  }

  public String user() {
    return PostgresServer.USER;
  }

  public String password() {
    return PostgresServer.PASSWORD;
  }

  /** The database's name, for {@code jdbc:postgresql://.../name} URLs built by hand. */
  public String name() {
    return name;
  }

  /** A new connection to this database; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user(), password());
  }

  /**
   * Runs one statement on this database.
   *
   * @throws SQLException if it fails
   */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Drops the database, closing any connection still open on it. */
  @Override
  public void close() throws SQLException {
    server.execute("drop database if exists " + name + " with (force)");
  }
}
