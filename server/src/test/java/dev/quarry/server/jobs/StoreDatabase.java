package dev.quarry.server.jobs;

import com.zaxxer.hikari.HikariDataSource;
import dev.quarry.server.jobs.internal.PgTaskStore;
import dev.quarry.testkit.TestDatabase;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A migrated test database with the task store over it, and running jobs of builtin {@code echo}
 * inserted directly (tenant {@code default}), for tests of the task store's statements.
 */
public final class StoreDatabase implements AutoCloseable {
  private final TestDatabase db;
  private final HikariDataSource ds;
  private final JdbcClient jdbc;
  private final TaskStore store;

  private StoreDatabase(int poolSize) throws Exception {
    db = TestDatabase.create();
    ds = new HikariDataSource();
    ds.setJdbcUrl(db.url());
    ds.setUsername(db.user());
    ds.setPassword(db.password());
    ds.setMaximumPoolSize(poolSize);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(ds);
    store =
        new PgTaskStore(
            jdbc,
            ds,
            new TransactionTemplate(new DataSourceTransactionManager(ds)),
            new WorkSignal());
  }

  public static StoreDatabase create(int poolSize) throws Exception {
    return new StoreDatabase(poolSize);
  }

  public JdbcClient jdbc() {
    return jdbc;
  }

  public TaskStore store() {
    return store;
  }

  /**
   * A RUNNING job of {@code tasks} PENDING tasks in chunks of {@code chunk}, submitted {@code age}
   * (a PostgreSQL interval, e.g. {@code 60 seconds}) ago.
   */
  public UUID insertJob(int tasks, int chunk, String age) {
    return insertJob("default", tasks, chunk, age);
  }

  /** A RUNNING job of {@code tenant} (which must exist) created {@code age} ago, all PENDING. */
  UUID insertJob(String tenant, int tasks, int chunk, String age) {
    UUID job = UUID.randomUUID();
    long seq =
        jdbc.sql(
                "insert into jobs (tenant_id, id, state, function_name, function_kind, jar_digests,"
                    + " bundle_digest, codec, total, chunk_size, max_attempts, retry_function_errors,"
                    + " timeout_ms, created_at) values (?, ?, 'RUNNING', 'echo', 'BUILTIN',"
                    + " '{}', 'builtin:echo', 'JSON', ?, ?, 3, false, 60000,"
                    + " now() - ?::interval) returning seq")
            .params(tenant, job, tasks, chunk, age)
            .query(Long.class)
            .single();
    jdbc.sql(
            "insert into tasks (tenant_id, job_id, idx, job_seq, chunk, state, input)"
                + " select ?, ?, i, ?, i / ?, 'PENDING', '\\x31'::bytea"
                + " from generate_series(0, ? - 1) i")
        .params(tenant, job, seq, chunk, tasks)
        .update();
    return job;
  }

  @Override
  public void close() throws Exception {
    ds.close();
    db.close();
  }
}
