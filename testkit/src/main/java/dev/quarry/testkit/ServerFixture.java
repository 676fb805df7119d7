package dev.quarry.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Quarry server in this JVM: REST, gRPC and the management port on free loopback ports, a
 * database of its own ({@link TestDatabase}, unless one is given) and a home folder of its own (a
 * new temporary one, unless one is given). Returned once the server is ready and has written its
 * dev key. {@link #close()} drops what the fixture made itself: the database and the temporary home
 * with everything stored in it, so test runs leave no data behind.
 *
 * <pre>{@code
 * try (ServerFixture server =
 *     ServerFixture.builder(QuarryServer.class).arg("--quarry.backend.pool-size=1").start()) {
 *   Http admin = server.http();
 *   ...
 * }
 * }</pre>
 *
 * <p>The application class is a parameter because the kit cannot depend on the server module (see
 * the package documentation).
 */
public final class ServerFixture implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final TestDatabase database;
  private final boolean ownsDatabase;
  private final Path home;
  private final boolean ownsHome;
  private final DevConfig config;

  private ServerFixture(
      ConfigurableApplicationContext context,
      TestDatabase database,
      boolean ownsDatabase,
      Path home,
      boolean ownsHome,
      DevConfig config) {
    this.context = context;
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.home = home;
    this.ownsHome = ownsHome;
    this.config = config;
  }

  /** A server of {@code application} (the {@code @SpringBootApplication} class). */
  public static Builder builder(Class<?> application) {
    return new Builder(application);
  }

  /** Options of a {@link ServerFixture}; {@link #start()} boots it. */
  public static final class Builder {
    private final Class<?> application;
    private final List<String> args = new ArrayList<>();
    private @Nullable TestDatabase database;
    private @Nullable Path home;

    private Builder(Class<?> application) {
      this.application = application;
    }

    /** Command-line arguments passed to the server after the fixture's own. */
    public Builder arg(String... more) {
      Collections.addAll(args, more);
      return this;
    }

    /** Command-line arguments passed to the server after the fixture's own. */
    public Builder args(List<String> more) {
      args.addAll(more);
      return this;
    }

    /** Runs on this database, which the caller keeps and drops (default: a fresh one). */
    public Builder database(TestDatabase db) {
      this.database = db;
      return this;
    }

    /** Uses this {@code quarry.home}, which the caller keeps (default: a new temp folder). */
    public Builder home(Path folder) {
      this.home = folder;
      return this;
    }

    /**
     * Starts the server and reads the dev key it wrote.
     *
     * @throws Exception whatever stopped the server from starting (its context is closed)
     */
    public ServerFixture start() throws Exception {
      boolean ownsDatabase = database == null;
      boolean ownsHome = home == null;
      TestDatabase db = database != null ? database : TestDatabase.create();
      Path dir = home != null ? home : Files.createTempDirectory("quarry-test-home");
      List<String> all = new ArrayList<>();
      all.add("--quarry.home=" + dir);
      all.add("--quarry.db.url=" + db.url());
      all.add("--quarry.db.username=" + db.user());
      all.add("--quarry.db.password=" + db.password());
      all.add("--server.port=0");
      all.add("--quarry.grpc.port=0");
      all.add("--management.server.port=0");
      all.addAll(args);
      ConfigurableApplicationContext ctx;
      try {
        SpringApplication app = new SpringApplication(application);
        // Only close() stops the server, before it drops the database: with Spring's own JVM
        // hook as well, a caller's hook and Spring's would run at once and the beans would stop
        // against a dropped database (a 30 s hang at the end of a test run).
        app.setRegisterShutdownHook(false);
        ctx = app.run(all.toArray(String[]::new));
      } catch (RuntimeException e) {
        if (ownsDatabase) {
          db.close();
        }
        if (ownsHome) {
          deleteRecursively(dir);
        }
        throw e;
      }
      return new ServerFixture(ctx, db, ownsDatabase, dir, ownsHome, DevConfig.read(dir));
    }
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public TestDatabase database() {
    return database;
  }

  /** The server's {@code quarry.home}. */
  public Path home() {
    return home;
  }

  /** {@code home/config}, as the Java client reads it ({@code -Dquarry.config}). */
  public Path configFile() {
    return DevConfig.file(home);
  }

  /** The filesystem object store's folder ({@code home/data}). */
  public Path dataDir() {
    return home.resolve("data");
  }

  public int httpPort() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
  }

  public int grpcPort() {
    return config.grpcPort();
  }

  /** The actuator's own port (health, metrics). */
  public int managementPort() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.management.port", "-1"));
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String restUrl() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** {@code 127.0.0.1:<port>}, a gRPC target for the Java client. */
  public String grpcTarget() {
    return "127.0.0.1:" + grpcPort();
  }

  /** The dev API key (admin of tenant {@code default}) the server wrote to its config file. */
  public String devKey() {
    return config.apiKey();
  }

  /** A REST client with the dev key. */
  public Http http() {
    return new Http(restUrl(), devKey());
  }

  /** A REST client with {@code key} (null for none). */
  public Http http(@Nullable String key) {
    return new Http(restUrl(), key);
  }

  /** Stops the server, then drops its database and deletes its home unless the caller gave them. */
  @Override
  public void close() throws Exception {
    context.close();
    if (ownsDatabase) {
      database.close();
    }
    if (ownsHome) {
      deleteRecursively(home);
    }
  }

  /** Deletes a folder and everything in it, if it exists. */
  public static void deleteRecursively(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
