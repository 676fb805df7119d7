package dev.quarry.bench;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.client.MapOptions;
import dev.quarry.server.QuarryServer;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.ServerFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a server with the local backend in this JVM and prints end-to-end figures measured through
 * the Java client: no-op maps of 1,000 and 10,000 inputs, warm single-call latency, and tasks per
 * second. Arguments are passed to the server (e.g. {@code --quarry.db.url=...}, {@code
 * --quarry.backend.pool-size=2}); without a database URL it uses an embedded PostgreSQL in a
 * temporary directory.
 */
public final class Bench {
  private static final int WARMUP_ROUNDS = 3;

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path home = tempHome("quarry-bench");
    List<String> serverArgs = serverArgs(home);
    serverArgs.addAll(Arrays.asList(args));
    long t0 = System.nanoTime();
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class).run(serverArgs.toArray(String[]::new));
    System.out.printf("server started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    int grpc = ctx.getBean(GrpcServerLifecycle.class).port();
    try (var fexec =
        FunctionExecutor.connect(
            "127.0.0.1:" + grpc,
            ClientOptions.builder().apiKey(DevConfig.read(home).apiKey()).build())) {
      long w = System.nanoTime();
      fexec.getResult(fexec.map(x -> x, IntStream.range(0, 200).boxed().toList()));
      System.out.printf("first map (ships the classpath): %.1f s%n", (System.nanoTime() - w) / 1e9);
      // A server runs for days; measure it warm, after the JIT has compiled the hot paths.
      w = System.nanoTime();
      for (int round = 0; round < WARMUP_ROUNDS; round++) {
        fexec.getResult(fexec.map(x -> x, IntStream.range(0, 10_000).boxed().toList()));
        for (int i = 0; i < 50; i++) {
          fexec.callAsync(x -> x, i).get(30, TimeUnit.SECONDS);
        }
      }
      System.out.printf(
          "warm-up (%d x 10,000 inputs + 50 calls): %.1f s%n",
          WARMUP_ROUNDS, (System.nanoTime() - w) / 1e9);

      latency(fexec);
      map(fexec, 1_000, 1);
      map(fexec, 10_000, 1);
      map(fexec, 10_000, 100);
    } finally {
      ctx.close();
    }
  }

  /**
   * A new temporary {@code quarry.home} that is deleted with everything in it (stored objects, the
   * embedded database) when the JVM exits, after the bench has closed its server.
   */
  static Path tempHome(String prefix) throws IOException {
    Path home = Files.createTempDirectory(prefix);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    ServerFixture.deleteRecursively(home);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                },
                "delete-" + prefix));
    return home;
  }

  /** A bench server's arguments: {@code home}, ephemeral ports, quiet logs, large jobs allowed. */
  static List<String> serverArgs(Path home, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--quarry.home=" + home,
                "--server.port=0",
                "--quarry.grpc.port=0",
                "--management.server.port=0",
                "--logging.level.root=WARN",
                "--quarry.limits.max-inputs-per-job=100000"));
    args.addAll(Arrays.asList(more));
    return args;
  }

  /** Starts a server with {@code args} (see {@link #serverArgs}); the caller closes it. */
  static ConfigurableApplicationContext startServer(List<String> args) {
    return new SpringApplication(QuarryServer.class).run(args.toArray(String[]::new));
  }

  /** The REST client of a started server, with the dev API key of its {@code home}. */
  static BenchRest rest(ConfigurableApplicationContext ctx, Path home) throws IOException {
    return BenchRest.local(
        ctx.getEnvironment().getProperty("local.server.port"), DevConfig.read(home).apiKey());
  }

  private static void latency(FunctionExecutor fexec) throws Exception {
    for (int i = 0; i < 20; i++) {
      fexec.callAsync(x -> x, i).get(30, TimeUnit.SECONDS);
    }
    long[] nanos = new long[100];
    for (int i = 0; i < nanos.length; i++) {
      long s = System.nanoTime();
      JobFuture<Integer> f = fexec.callAsync(x -> x, i);
      f.get(30, TimeUnit.SECONDS);
      nanos[i] = System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "callAsync round trip (100 warm calls): p50 %.1f ms  p99 %.1f ms%n",
        nanos[49] / 1e6, nanos[98] / 1e6);
  }

  private static void map(FunctionExecutor fexec, int n, int chunk) {
    List<Integer> inputs = IntStream.range(0, n).boxed().toList();
    long s = System.nanoTime();
    List<Integer> out =
        fexec.getResult(fexec.map(x -> x, inputs, MapOptions.builder().chunkSize(chunk).build()));
    double secs = (System.nanoTime() - s) / 1e9;
    if (!out.equals(inputs)) {
      throw new IllegalStateException("wrong results for the map of " + n);
    }
    System.out.printf(
        "no-op map of %,d inputs (chunk %d): %.2f s  (%,.0f tasks/s)%n", n, chunk, secs, n / secs);
  }
}
