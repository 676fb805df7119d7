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
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./quarry bench dashboard}: what the dashboard costs. (1) The pages of a finished
 * 100,000-future job, signed in: the job page, its first futures page and its charts' data (median
 * of 20 warm requests each). (2) A 10,000-input map with no dashboard open, then with 50 job pages
 * following it over Server-Sent Events (median of 3 runs each).
 */
public final class DashboardBench {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("quarry-bench-dashboard");
    List<String> serverArgs = Bench.serverArgs(home, "--quarry.limits.max-request-bytes=16777216");
    serverArgs.addAll(Arrays.asList(args));
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class).run(serverArgs.toArray(String[]::new));
    try {
      String port = ctx.getEnvironment().getRequiredProperty("local.server.port");
      String base = "http://127.0.0.1:" + port;
      String key = DevConfig.read(home).apiKey();
      Http api = new Http(base, key);
      HttpClient browser = signIn(base, key);
      for (int i = 0; i < 3; i++) {
        runMap(api, 10_000, 0, browser, base); // warm-up
      }

      String big = submit(api, 100_000, 100);
      drain(api, big);
      for (String page : List.of("", "/futures", "/charts")) {
        System.out.printf(
            "job of 100,000 futures, GET /jobs/{id}%s: median %.1f ms%n",
            page, median(20, () -> get(browser, base + "/jobs/" + big + page)) / 1e6);
      }

      double none = median(3, () -> runMap(api, 10_000, 0, browser, base)) / 1e9;
      double fifty = median(3, () -> runMap(api, 10_000, 50, browser, base)) / 1e9;
      System.out.printf(
          "map of 10,000 inputs: %.2f s with no dashboard, %.2f s with 50 open (%+.1f %%)%n",
          none, fifty, (fifty / none - 1) * 100);
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

  /** Nanoseconds from submit to the last result read, with {@code pages} SSE streams open. */
  private static long runMap(Http api, int n, int pages, HttpClient browser, String base)
      throws Exception {
    long start = System.nanoTime();
    String id = submit(api, n, 1);
    List<CompletableFuture<?>> streams = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      streams.add(
          browser
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/events")).build(),
                  HttpResponse.BodyHandlers.ofLines())
              .thenAccept(r -> r.body().forEach(line -> {})));
    }
    drain(api, id);
    long took = System.nanoTime() - start;
    CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).join();
    return took;
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
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r.body();
  }

  private interface Run {
    Object run() throws Exception;
  }

  private static long median(int times, Run run) throws Exception {
    long[] nanos = new long[times];
    for (int i = 0; i < times; i++) {
      long s = System.nanoTime();
      Object v = run.run();
      nanos[i] = v instanceof Long l ? l : System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    return nanos[times / 2];
  }
}
