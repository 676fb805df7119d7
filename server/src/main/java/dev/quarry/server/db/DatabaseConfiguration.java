package dev.quarry.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quarry.server.QuarryProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to {@code quarry.db.url} or, when it is empty, starts an embedded PostgreSQL whose data
 * directory ({@code quarry.home/pg}) survives restarts and crashes (see {@link
 * EmbeddedPostgresStarter}).
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {
  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedDatabase embeddedDatabase(QuarryProperties props) {
    if (!props.db().url().isBlank()) {
      return EmbeddedDatabase.none();
    }
    Path dir = props.home().resolve("pg");
    try {
      EmbeddedPostgres pg = EmbeddedPostgresStarter.start(dir, props.db());
      log.info("Embedded PostgreSQL on port {} with data in {}", pg.getPort(), dir);
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dir, e);
    }
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(QuarryProperties props, EmbeddedDatabase embedded) {
    HikariConfig config = new HikariConfig();
    if (embedded.postgres() != null) {
      config.setJdbcUrl(embedded.postgres().getJdbcUrl("postgres", "postgres"));
      config.setUsername("postgres");
    } else {
      config.setJdbcUrl(props.db().url());
      config.setUsername(props.db().username());
      config.setPassword(props.db().password());
    }
    config.setMaximumPoolSize(props.db().poolSize());
    // Batched statements over unnest(...) must be planned with their real array sizes and the
    // table's current size: a generic plan cached while the tasks table was small can pick a
    // sequential scan and then take seconds per batch once the table has grown.
    config.setConnectionInitSql("set plan_cache_mode = force_custom_plan");
    config.setPoolName("quarry");
    return new HikariDataSource(config);
  }

  /** Holds the embedded server, if one was started, so it stops after the pool closes. */
  public record EmbeddedDatabase(@org.jspecify.annotations.Nullable EmbeddedPostgres postgres)
      implements AutoCloseable {
    static EmbeddedDatabase none() {
      return new EmbeddedDatabase(null);
    }

    @Override
    public void close() throws IOException {
      if (postgres != null) {
        postgres.close();
      }
    }
  }
}
