package dev.quarry.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database: on {@code QUARRY_TEST_PG} (default 127.0.0.1:5432, user postgres)
 * when it answers, otherwise on an embedded PostgreSQL. Copy of the server module's {@code
 * TestDatabase}; switch to the testkit's once it exists.
 */
final class CliDatabase implements AutoCloseable {
  private final String adminUrl;
  private final String name = "quarry_cli_test_" + UUID.randomUUID().toString().replace("-", "");
  private final EmbeddedPostgres embedded;

  private CliDatabase(String adminUrl, EmbeddedPostgres embedded) {
    this.adminUrl = adminUrl;
    this.embedded = embedded;
  }

  static CliDatabase create() throws IOException, SQLException {
    String hostPort = System.getenv().getOrDefault("QUARRY_TEST_PG", "127.0.0.1:5432");
    String admin = "jdbc:postgresql://" + hostPort + "/postgres";
    CliDatabase db;
    try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
      db = new CliDatabase(admin, null);
    } catch (SQLException unreachable) {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      db = new CliDatabase(pg.getJdbcUrl("postgres", "postgres"), pg);
    }
    db.execute("create database " + db.name);
    return db;
  }

  String url() {
    return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
  }

  String user() {
    return "postgres";
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "");
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
