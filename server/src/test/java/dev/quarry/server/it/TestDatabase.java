package dev.quarry.server.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for a test run: on {@code QUARRY_TEST_PG} (default
 * 127.0.0.1:5432, user postgres) when it answers, otherwise on an embedded PostgreSQL.
 */
public final class TestDatabase implements AutoCloseable {
  private final String adminUrl;
  private final String user;
  private final String name = "quarry_test_" + UUID.randomUUID().toString().replace("-", "");
  private final EmbeddedPostgres embedded;

  private TestDatabase(String adminUrl, String user, EmbeddedPostgres embedded) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.embedded = embedded;
  }

  public static TestDatabase create() throws IOException, SQLException {
    String hostPort = System.getenv().getOrDefault("QUARRY_TEST_PG", "127.0.0.1:5432");
    String admin = "jdbc:postgresql://" + hostPort + "/postgres";
    TestDatabase db;
    try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
      db = new TestDatabase(admin, "postgres", null);
    } catch (SQLException unreachable) {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      db = new TestDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", pg);
    }
    db.execute("create database " + db.name);
    return db;
  }

  public String url() {
    return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
  }

  public String user() {
    return user;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user, "");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      execute("drop database if exists " + name + " with (force)");
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
