package dev.quarry.bench;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.server.QuarryServer;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import dev.quarry.testkit.DevConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Pull workers against the local backend, in one run and through the same REST calls: a server in
 * this JVM whose local pool has 2 worker JVMs with 2 invocations each, and a {@code standalone}
 * profile served by 2 pull worker processes ({@code PullWorkerMain}) with 2 slots each. Prints, for
 * each, a 10,000-input no-op map with chunk size 1 (invocations per second) and the round trip of a
 * single call (submit until its result is read; p50 and p99 of 200 warm calls), over REST and
 * through the Java client's {@code callAsync} (gRPC). {@value #CALLS_ONLY} measures only the single
 * calls; other arguments go to the server, as for {@link Bench}.
 */
public final class WorkerBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The argument that measures only the single-call round trips, no 10,000-input maps. */
  static final String CALLS_ONLY = "--calls-only";

  private WorkerBench() {}

  public static void main(String[] args) throws Exception {
    Path home = Bench.tempHome("quarry-worker-bench");
    List<String> serverArgs =
        Bench.serverArgs(
            home,
            "--quarry.backend.pool-size=2",
            "--quarry.backend.max-in-flight-per-worker=2",
            "--quarry.tenant-defaults.max-concurrent-invocations=2000");
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean callsOnly = rest.remove(CALLS_ONLY);
    serverArgs.addAll(rest);
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class).run(serverArgs.toArray(String[]::new));
    List<Process> workers = new ArrayList<>();
    try {
      String base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
      String key = DevConfig.read(home).apiKey();
      int grpc = ctx.getBean(GrpcServerLifecycle.class).port();
      send(base, key, "PUT", "/v1/profiles/workers", "{\"backend\":\"standalone\"}");
      String token =
          send(
                  base,
                  key,
                  "POST",
                  "/v1/worker-tokens",
                  "{\"name\":\"bench\",\"profile\":\"workers\"}")
              .get("secret")
              .asString();
      Path tokenFile = home.resolve("worker-token");
      Files.writeString(tokenFile, token);
      for (int i = 0; i < 2; i++) {
        workers.add(
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.quarry.worker.pull.PullWorkerMain",
                    "--server",
                    "127.0.0.1:" + grpc,
                    "--token-file",
                    tokenFile.toString(),
                    "--slots",
                    "2",
                    "--name",
                    "bench-" + i)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("worker-" + i + ".log").toFile())
                .start());
      }
      while (!send(base, key, "GET", "/v1/worker-tokens", null)
          .toString()
          .contains("\"connected\":2")) {
        Thread.sleep(50);
      }
      System.out.println("2 pull workers x 2 slots connected; local pool: 2 workers x 2 in flight");
      for (String profile : List.of("", "workers")) {
        String lane = profile.isEmpty() ? "local backend" : "pull workers ";
        if (!callsOnly) {
          for (int i = 0; i < 3; i++) {
            map(base, key, profile, 10_000);
          }
          double secs = map(base, key, profile, 10_000);
          System.out.printf(
              "%s: 10,000 no-op inputs, chunk 1: %.2f s (%,.0f invocations/s)%n",
              lane, secs, 10_000 / secs);
        }
        for (int i = 0; i < 50; i++) {
          call(base, key, profile);
        }
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
          nanos[i] = call(base, key, profile);
        }
        Arrays.sort(nanos);
        System.out.printf(
            "%s: single call round trip over REST (200 warm calls): p50 %.1f ms  p99 %.1f ms%n",
            lane, nanos[99] / 1e6, nanos[197] / 1e6);
        clientCalls(lane, "127.0.0.1:" + grpc, key, profile);
      }
    } finally {
      workers.forEach(Process::destroy);
      for (Process w : workers) {
        w.waitFor(10, TimeUnit.SECONDS);
      }
      ctx.close();
    }
  }

  /**
   * The same single call through the Java client ({@code callAsync} over gRPC, a lambda shipped as
   * a bundle): p50 and p99 of 200 warm calls after 50 unmeasured ones.
   */
  private static void clientCalls(String lane, String grpc, String key, String profile)
      throws Exception {
    ClientOptions.Builder options = ClientOptions.builder().apiKey(key);
    if (!profile.isEmpty()) {
      options.profile(profile);
    }
    try (FunctionExecutor fexec = FunctionExecutor.connect(grpc, options.build())) {
      for (int i = 0; i < 50; i++) {
        fexec.callAsync((Integer x) -> x, i).get(30, TimeUnit.SECONDS);
      }
      long[] nanos = new long[200];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        int got = fexec.callAsync((Integer x) -> x, i).get(30, TimeUnit.SECONDS);
        nanos[i] = System.nanoTime() - start;
        if (got != i) {
          throw new IllegalStateException("callAsync answered " + got + " for " + i);
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "%s: single call round trip, Java client callAsync (200 warm calls): p50 %.1f ms"
              + "  p99 %.1f ms%n",
          lane, nanos[99] / 1e6, nanos[197] / 1e6);
    }
  }

  /** Seconds from submit until the job has succeeded. */
  private static double map(String base, String key, String profile, int n) throws Exception {
    String inputs =
        IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(","));
    long start = System.nanoTime();
    String id = submit(base, key, profile, inputs);
    while (true) {
      JsonNode status = send(base, key, "GET", "/v1/jobs/" + id, null);
      String state = status.get("state").asString();
      if (state.equals("SUCCEEDED")) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (!state.equals("RUNNING") && !state.equals("PENDING")) {
        throw new IllegalStateException("bench job ended " + state + ": " + status);
      }
      Thread.sleep(10);
    }
  }

  /** Nanoseconds from submitting one input until its result is read. */
  private static long call(String base, String key, String profile) throws Exception {
    long start = System.nanoTime();
    String id = submit(base, key, profile, "7");
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id + "/results"))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - start;
    if (r.statusCode() != 200 || !r.body().contains("\"result\":7")) {
      throw new IllegalStateException("call answered " + r.statusCode() + ": " + r.body());
    }
    return took;
  }

  private static String submit(String base, String key, String profile, String inputs)
      throws Exception {
    String on = profile.isEmpty() ? "" : ",\"profile\":\"" + profile + "\"";
    return send(
            base,
            key,
            "POST",
            "/v1/jobs",
            "{\"function\":\"echo\",\"chunkSize\":1" + on + ",\"inputs\":[" + inputs + "]}")
        .get("id")
        .asString();
  }

  private static JsonNode send(String base, String key, String method, String path, String body)
      throws Exception {
    return new BenchRest(base, key).send(method, path, body);
  }
}
