package dev.quarry.bench;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.Http;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./quarry bench dashboard}: what the dashboard costs. (1) A 10,000-input map (chunk 1) with
 * no dashboard open, with {@value #OPEN_PAGES} SSE streams following it, and with {@value
 * #OPEN_PAGES} job pages following it as {@code job.js} does (the page with its first futures, the
 * SSE stream with the charts' data, progress and the charts' data every 2 s, and the charts and the
 * futures' first page with the last progress), in {@value #ROUNDS} rounds whose order rotates so
 * the machine's noise shows; each round's ratios to its own no-dashboard run and their medians. (2)
 * Then the pages of a finished 100,000-future job, signed in: the job page, its first futures page,
 * its charts' data and the overview (p50 and p90 of {@value #LOADS} warm requests each, timed by
 * the client on the same host). The clients run in the server's JVM, on the same cores; the
 * followers receive the bytes without decoding them. The machine's CPU seconds during each map are
 * printed too, split into this JVM (and of it its JIT compiler's), PostgreSQL and the worker JVMs
 * ({@link CpuUse}): steadier than the wall time on a machine where a map's own time varies by a
 * third. The warm-up is {@value #WARM_UP_MAPS} maps (followed in turn by nothing, streams and
 * pages) and then {@value #WARM_UP_FOLLOWS} ended job pages followed to their end, as a server that
 * has served pages for a while has: before that, the JIT compiler still compiled the pages' code
 * during the measured maps. Its CPU is still printed, and the ratio of the machine's CPU besides
 * it. The load average is printed before and after.
 *
 * <p>Long because one bench program: its setup, the page loads, the rotated rounds and the report
 * are read top to bottom as one measurement.
 */
public final class DashboardBench {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  static final int LOADS = 30;
  static final int OPEN_PAGES = 50;
  static final int ROUNDS = 6;
  static final int WARM_UP_MAPS = 15;
  static final int WARM_UP_FOLLOWS = 3_000;
  private static final ExecutorService PAGE = Executors.newVirtualThreadPerTaskExecutor();

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    Path home = Bench.tempHome("quarry-bench-dashboard");
    List<String> serverArgs = Bench.serverArgs(home, "--quarry.limits.max-request-bytes=16777216");
    serverArgs.addAll(Arrays.asList(args));
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class).run(serverArgs.toArray(String[]::new));
    try {
      System.out.println("load average before: " + loadAverage());
      String port = ctx.getEnvironment().getRequiredProperty("local.server.port");
      String base = "http://127.0.0.1:" + port;
      String key = DevConfig.read(home).apiKey();
      Http api = new Http(base, key);
      HttpClient browser = signIn(base, key);
      // the maps' own cost settles after about six; the JIT compiler works on the pages' code for
      // much longer (its CPU is printed: a server that has served pages compiled it long before)
      for (int i = 0; i < WARM_UP_MAPS; i++) {
        runMap(api, 10_000, Open.values()[i % Open.values().length], browser, base);
      }
      // and then pages followed to their end, as a server that has served pages for a while has
      System.out.printf(
          "warm-up: %d ended job pages followed in %.1f s%n",
          WARM_UP_FOLLOWS, followEnded(api, browser, base, WARM_UP_FOLLOWS) / 1e9);

      double[][] took = new double[Open.values().length][ROUNDS];
      double[][] cpu = new double[Open.values().length][ROUNDS];
      double[][] cpuBesidesJit = new double[Open.values().length][ROUNDS];
      CpuUse[][] split = new CpuUse[Open.values().length][ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        StringBuilder line = new StringBuilder("round " + (i + 1) + ":");
        for (int k = 0; k < Open.values().length; k++) {
          Open open = Open.values()[(i + k) % Open.values().length]; // the order rotates
          CpuUse cpuBefore = CpuUse.now();
          took[open.ordinal()][i] = runMap(api, 10_000, open, browser, base) / 1e9;
          split[open.ordinal()][i] = CpuUse.now().since(cpuBefore);
          cpu[open.ordinal()][i] = split[open.ordinal()][i].machine();
          cpuBesidesJit[open.ordinal()][i] = split[open.ordinal()][i].machineBesidesJit();
          line.append(
              String.format(
                  " %s %.2f s (CPU %.2f s);",
                  open.label, took[open.ordinal()][i], cpu[open.ordinal()][i]));
        }
        for (Open open : List.of(Open.STREAMS, Open.PAGES)) {
          line.append(
              String.format(
                  " %s/none %.3f", open.name().toLowerCase(Locale.ROOT), ratio(took, open, i)));
        }
        System.out.println(line);
      }
      for (Open open : List.of(Open.STREAMS, Open.PAGES)) {
        System.out.printf(
            "map of 10,000 inputs: median %.2f s with no dashboard, %.2f s with %s;"
                + " median ratio of its rounds %.3f (%+.1f %%); the machine's CPU in the map:"
                + " median %.2f s with no dashboard, %.2f s with %s, ratio %.3f (%+.1f %%);"
                + " besides this JVM's JIT compiler: ratio %.3f (%+.1f %%)%n",
            median(took[Open.NONE.ordinal()]),
            median(took[open.ordinal()]),
            open.label,
            medianRatio(took, open),
            (medianRatio(took, open) - 1) * 100,
            median(cpu[Open.NONE.ordinal()]),
            median(cpu[open.ordinal()]),
            open.label,
            medianRatio(cpu, open),
            (medianRatio(cpu, open) - 1) * 100,
            medianRatio(cpuBesidesJit, open),
            (medianRatio(cpuBesidesJit, open) - 1) * 100);
      }
      for (Open open : Open.values()) {
        CpuUse[] s = split[open.ordinal()];
        System.out.printf(
            "CPU in a map with %s, median of the rounds: this JVM (server and clients) %.2f s"
                + " (its JIT compiler %.2f s), PostgreSQL %.2f s, the worker JVMs %.2f s,"
                + " the rest %.2f s%n",
            open.label,
            median(Arrays.stream(s).mapToDouble(CpuUse::thisJvm).toArray()),
            median(Arrays.stream(s).mapToDouble(CpuUse::jit).toArray()),
            median(Arrays.stream(s).mapToDouble(CpuUse::postgres).toArray()),
            median(Arrays.stream(s).mapToDouble(CpuUse::otherJvms).toArray()),
            median(Arrays.stream(s).mapToDouble(CpuUse::rest).toArray()));
      }

      // after the maps: whatever runs in the minute after the big job is slower (README, Dashboard)
      String big = submit(api, 100_000, 100);
      drain(api, big);
      for (String page :
          List.of("/jobs/" + big, "/jobs/" + big + "/futures", "/jobs/" + big + "/charts", "/")) {
        long[] ms = times(LOADS, () -> get(browser, base + page));
        System.out.printf(
            "job of 100,000 futures, GET %s: p50 %.1f ms, p90 %.1f ms (%d loads)%n",
            page.replace(big, "{id}"), ms[LOADS / 2] / 1e6, ms[LOADS * 9 / 10] / 1e6, LOADS);
      }
      System.out.println("load average after: " + loadAverage());
    } finally {
      ctx.close();
    }
  }

  /** A browser-like client signed in with {@code key} (session cookie kept). */
  static HttpClient signIn(String base, String key) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    Matcher m = CSRF.matcher(get(client, base + "/login"));
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page");
    }
    String form =
        "key="
            + URLEncoder.encode(key, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 302) {
      throw new IllegalStateException("sign-in answered " + r.statusCode());
    }
    return client;
  }

  /** What follows a map while it runs. */
  private enum Open {
    NONE("no dashboard"),
    STREAMS(OPEN_PAGES + " SSE streams only"),
    PAGES(OPEN_PAGES + " job pages open");

    final String label;

    Open(String label) {
      this.label = label;
    }
  }

  private static double ratio(double[][] took, Open open, int round) {
    return took[open.ordinal()][round] / took[Open.NONE.ordinal()][round];
  }

  /** The median over the rounds of {@code open}'s figure over the no-dashboard one. */
  private static double medianRatio(double[][] figures, Open open) {
    double[] ratios = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      ratios[i] = ratio(figures, open, i);
    }
    return median(ratios);
  }

  /** Nanoseconds from submit to the last result read, with what {@code open} says following. */
  private static long runMap(Http api, int n, Open open, HttpClient browser, String base)
      throws Exception {
    long start = System.nanoTime();
    String id = submit(api, n, 1);
    String page = base + "/jobs/" + id;
    List<CompletableFuture<Void>> following = new ArrayList<>();
    for (int i = 0; open != Open.NONE && i < OPEN_PAGES; i++) {
      following.add(
          open == Open.PAGES
              ? CompletableFuture.runAsync(() -> followPage(browser, page), PAGE)
              : stream(browser, page).thenAccept(r -> {}));
    }
    drain(api, id);
    long took = System.nanoTime() - start;
    CompletableFuture.allOf(following.toArray(CompletableFuture[]::new)).join();
    return took;
  }

  /**
   * Nanoseconds to follow an ended job's page {@code times} times, {@value #OPEN_PAGES} at once:
   * the page and its stream, which ends after the charts, the futures and the last progress.
   */
  private static long followEnded(Http api, HttpClient browser, String base, int times)
      throws Exception {
    String id = submit(api, 1_000, 1);
    drain(api, id);
    String page = base + "/jobs/" + id;
    long start = System.nanoTime();
    for (int done = 0; done < times; done += OPEN_PAGES) {
      CompletableFuture.allOf(
              IntStream.range(0, Math.min(OPEN_PAGES, times - done))
                  .mapToObj(i -> CompletableFuture.runAsync(() -> followPage(browser, page), PAGE))
                  .toArray(CompletableFuture[]::new))
          .join();
    }
    return System.nanoTime() - start;
  }

  /**
   * What {@code job.js} makes a browser do for one open job page: the page (with its first futures
   * page), the SSE stream (the charts' data when it opens, progress, the charts' data every 2 s,
   * and the charts' data and the futures table's first page before the last progress) to the job's
   * end.
   */
  private static void followPage(HttpClient browser, String page) {
    try {
      load(browser, page);
      stream(browser, page).join();
    } catch (Exception e) {
      throw new IllegalStateException("a dashboard page of " + page + " failed", e);
    }
  }

  /**
   * The page's SSE stream, received to its end (the job's end). Like {@link #load}, the bytes are
   * not decoded: a browser does that on its own machine, not on the server's cores.
   */
  private static CompletableFuture<?> stream(HttpClient browser, String page) {
    return browser
        .sendAsync(
            HttpRequest.newBuilder(URI.create(page + "/events")).build(),
            HttpResponse.BodyHandlers.discarding())
        .thenAccept(r -> ok(r, page + "/events"));
  }

  /** Receives {@code url} (200 expected) without decoding it. */
  private static void load(HttpClient client, String url) throws IOException, InterruptedException {
    ok(
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding()),
        url);
  }

  private static void ok(HttpResponse<?> r, String url) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
  }

  private static String submit(Http api, int n, int chunk) throws Exception {
    String inputs =
        IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(","));
    Http.Response r =
        api.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"chunkSize\":" + chunk + ",\"inputs\":[" + inputs + "]}");
    if (r.status() != 201) {
      throw new IllegalStateException("submit answered " + r.status() + ": " + r.body());
    }
    return r.json().get("id").asString();
  }

  /** Reads the job's NDJSON results to the end (the stream ends with the job). */
  private static void drain(Http api, String id) throws Exception {
    Http.Response r = api.get("/v1/jobs/" + id + "/results");
    if (r.status() != 200) {
      throw new IllegalStateException("results answered " + r.status());
    }
  }

  static String get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    ok(r, url);
    return r.body();
  }

  private interface Run {
    Object run() throws Exception;
  }

  /** Nanoseconds of {@code times} runs, sorted. */
  private static long[] times(int times, Run run) throws Exception {
    long[] nanos = new long[times];
    for (int i = 0; i < times; i++) {
      long s = System.nanoTime();
      run.run();
      nanos[i] = System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
