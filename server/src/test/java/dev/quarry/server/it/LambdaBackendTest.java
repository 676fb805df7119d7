package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.lambda.emulator.EmulatorStats;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Maps on AWS Lambda, end to end against the Lambda emulator: the server deploys the worker zip
 * (CreateFunction + waiters), invokes it with RequestResponse calls signed with the profile's
 * credential, and the real handler in child JVMs reads and writes S3 (s3proxy).
 */
class LambdaBackendTest {
  static LambdaStack stack;
  static Http admin;

  @BeforeAll
  static void setUp() throws Exception {
    stack = LambdaStack.get();
    admin = stack.admin;
    // the jobs' own attempts absorb transient failures (the backend does not retry); a window of
    // 50 calls keeps a 30-40 % failure rate from tripping the 50 % circuit by chance, and a short
    // open state keeps the test quick if it does
    stack.profile(
        "aws",
        Map.of(
            "slidingWindowSize",
            "50",
            "minimumNumberOfCalls",
            "20",
            "waitInOpenStateSeconds",
            "2"));
  }

  @AfterEach
  void noFaults() {
    stack.emulator.faults().reset();
  }

  @Test
  void aMapRunsOnLambdaColdThenWarmWithBilledDurationAndMemoryPerFuture() throws Exception {
    // a memory size no other test uses: this map meets a new function, so cold instances first
    stack.profile("aws-fresh", Map.of("memory", "576"));
    int created = stack.emulator.stats().apiCalls("CreateFunction");
    String body =
        "{\"function\":\"echo\",\"profile\":\"aws-fresh\",\"inputs\":["
            + String.join(
                ",",
                IntStream.range(0, 24)
                    .mapToObj(i -> "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i * 40) + "\"}")
                    .toList())
            + "]}";
    Http.Response submit = admin.post("/v1/jobs", body);
    assertThat(submit.status()).as(submit.body()).isEqualTo(201);
    String job = submit.json().get("id").asString();
    List<JsonNode> lines = RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"));
    assertThat(lines).hasSize(24);
    for (JsonNode line : lines) {
      int i = line.get("index").asInt();
      assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      assertThat(line.get("result").get("n").asInt()).isEqualTo(i);
      assertThat(line.get("result").get("pad").asString()).hasSize(i * 40);
      assertThat(line.get("memorySizeMb").asInt()).isEqualTo(576);
      assertThat(line.get("billedMs").asInt()).isPositive();
      assertThat(line.get("memoryUsedMb").asInt()).isPositive();
    }
    assertThat(lines).anyMatch(l -> l.get("coldStart").asBoolean());
    assertThat(lines).anyMatch(l -> !l.get("coldStart").asBoolean());
    // inputs above the inline limit (256 bytes) travelled through S3, the rest in the payload
    var store = stack.context.getBean(dev.quarry.storage.ObjectStore.class);
    java.util.UUID jobId = java.util.UUID.fromString(job);
    assertThat(store.read(dev.quarry.server.jobs.StorageKeys.input("default", jobId, 2))).isEmpty();
    assertThat(store.read(dev.quarry.server.jobs.StorageKeys.input("default", jobId, 20)))
        .isPresent();
    assertThat(stack.emulator.stats().apiCalls("CreateFunction")).isEqualTo(created + 1);
    assertThat(stack.emulator.functions())
        .anyMatch(f -> f.name().matches("quarry-worker-[0-9a-f]{12}-576-t[0-9a-f]{10}"));
  }

  @Test
  void aLambdaJobsSummaryEstimatesItsCostFromTheProfilesPrices() throws Exception {
    stack.profile(
        "aws-priced", Map.of("pricePerGbSecond", "0.00002", "pricePerMillionRequests", "0.5"));
    Http.Response submit =
        admin.post(
            "/v1/jobs",
            "{\"function\":\"echo\",\"profile\":\"aws-priced\",\"chunkSize\":2,"
                + "\"inputs\":[\"a\",\"bb\",\"ccc\",\"dddd\",\"eeeee\",\"ffffff\"]}");
    assertThat(submit.status()).as(submit.body()).isEqualTo(201);
    String job = submit.json().get("id").asString();
    assertThat(RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"))).hasSize(6);

    JsonNode summary = admin.get("/v1/jobs/" + job + "/summary").json();
    JsonNode cost = summary.get("cost");
    JsonNode future = admin.get("/v1/jobs/" + job + "/futures/5/stats").json();

    assertThat(summary.get("backend").asString()).isEqualTo("lambda");
    assertThat(cost.get("available").asBoolean()).as(summary.toString()).isTrue();
    assertThat(cost.get("currency").asString()).isEqualTo("USD");
    assertThat(cost.get("pricePerGbSecond").asDouble()).isEqualTo(0.00002);
    // three chunks of two: each at least one invocation, billed once for both its futures
    assertThat(cost.get("invocations").asLong()).isBetween(3L, 6L);
    double gbSeconds = cost.get("gbSeconds").asDouble();
    assertThat(gbSeconds).isPositive();
    assertThat(cost.get("total").asDouble())
        .isCloseTo(
            gbSeconds * 0.00002 + cost.get("invocations").asLong() * 0.5 / 1e6,
            org.assertj.core.api.Assertions.within(1e-12));
    // the Lambda worker measured the future: "ffffff" is 8 bytes of JSON each way
    assertThat(future.get("bytesRead").asLong()).isEqualTo(8);
    assertThat(future.get("bytesWritten").asLong()).isEqualTo(8);
    assertThat(future.get("peakMemoryBytes").asLong()).isPositive();
    assertThat(future.get("billedMs").asLong()).isPositive();
    assertThat(future.get("memorySizeMb").asInt()).isEqualTo(512); // the stack's profiles
  }

  @Test
  void aMapCompletesUnderThirtyPercentTransientFailuresWithEveryResultOnce() throws Exception {
    warmUp("aws");
    EmulatorStats before = stack.emulator.stats();
    // 30 % transient (throttling, 5xx), plus slow responses and crashed instances
    stack
        .emulator
        .faults()
        .throttleRate(0.15)
        .serverErrorRate(0.15)
        .slowResponses(0.1, java.time.Duration.ofMillis(300))
        .crashRate(0.08);
    // about 38 % of invocations fail: with 8 attempts one of 80 tasks failed every attempt in
    // about 3 % of runs (0.38^8 x 80); with 16 that is 0.002 %
    String body =
        "{\"function\":\"checksum\",\"profile\":\"aws\",\"maxAttempts\":16,\"inputs\":["
            + String.join(",", IntStream.range(0, 80).mapToObj(i -> "\"input-" + i + "\"").toList())
            + "]}";
    String job = admin.post("/v1/jobs", body).json().get("id").asString();
    List<JsonNode> lines = RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"));
    stack.emulator.faults().reset();
    EmulatorStats stats = stack.emulator.stats();
    assertThat(stats.throttled() - before.throttled()).isPositive();
    assertThat(stats.serverErrors() - before.serverErrors()).isPositive();
    assertThat(lines).hasSize(80);
    Set<Integer> seen = new HashSet<>();
    for (JsonNode line : lines) {
      assertThat(line.get("state").asString()).as(line.toString()).isEqualTo("SUCCEEDED");
      assertThat(seen.add(line.get("index").asInt())).as("duplicate result " + line).isTrue();
    }
    // the same inputs on the local backend give the same checksums
    String local =
        admin
            .post("/v1/jobs", body.replace("\"profile\":\"aws\",", ""))
            .json()
            .get("id")
            .asString();
    Map<Integer, String> expected = new HashMap<>();
    RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + local + "/results"))
        .forEach(l -> expected.put(l.get("index").asInt(), l.get("result").toString()));
    lines.forEach(
        l ->
            assertThat(l.get("result").toString()).isEqualTo(expected.get(l.get("index").asInt())));
    assertThat(
            count(
                "select count(*) from tasks where job_id = '"
                    + job
                    + "'::uuid and state = 'SUCCEEDED'"))
        .isEqualTo(80);
    // a crashed instance costs its tasks an attempt (retried), never a second result
    long crashes = stats.crashes() - before.crashes();
    long retried =
        count("select count(*) from tasks where job_id = '" + job + "'::uuid and attempt > 1");
    assertThat(retried)
        .as("tasks retried after %d crashes", crashes)
        .isGreaterThanOrEqualTo(crashes > 0 ? 1 : 0);
  }

  @Test
  void aDeadBackendOpensTheProfilesCircuitAndTheJobSaysSo() throws Exception {
    stack.profile(
        "aws-dead",
        Map.of(
            "slidingWindowSize", "4", "minimumNumberOfCalls", "4", "waitInOpenStateSeconds", "60"));
    warmUp("aws-dead");
    stack.emulator.faults().unavailable(true);
    String job =
        admin
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"profile\":\"aws-dead\",\"inputs\":["
                    + String.join(",", IntStream.range(0, 20).mapToObj(Integer::toString).toList())
                    + "]}")
            .json()
            .get("id")
            .asString();
    String message = JobFixtures.awaitMessage(admin, job, "circuit", Duration.ofSeconds(30));
    assertThat(message).startsWith("waiting:").contains("circuit", "aws-dead", "open until");
    JsonNode status = admin.get("/v1/jobs/" + job).json();
    assertThat(status.get("state").asString()).isEqualTo("RUNNING");
    assertThat(count("select max(attempt) from tasks where job_id = '" + job + "'::uuid"))
        .isLessThanOrEqualTo(3);
    // the other profile's circuit is its own: it still runs (the outage is over for it)
    stack.emulator.faults().reset();
    String other =
        admin
            .post("/v1/jobs", "{\"function\":\"echo\",\"profile\":\"aws\",\"inputs\":[5]}")
            .json()
            .get("id")
            .asString();
    assertThat(
            RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + other + "/results"))
                .get(0)
                .get("result")
                .asInt())
        .isEqualTo(5);
    assertThat(admin.post("/v1/jobs/" + job + "/cancel", "").json().get("state").asString())
        .isEqualTo("CANCELLED");
  }

  @Test
  void aPermanentErrorFailsFastWithAClearMessage() throws Exception {
    // no execution role and no function for 896 MB yet: the deploy cannot happen
    Map<String, String> noRole = new HashMap<>(Map.of("memory", "896"));
    noRole.put("role", null);
    stack.profile("aws-norole", noRole);
    long start = System.nanoTime();
    String job =
        admin
            .post(
                "/v1/jobs", "{\"function\":\"echo\",\"profile\":\"aws-norole\",\"inputs\":[1,2,3]}")
            .json()
            .get("id")
            .asString();
    List<JsonNode> lines = RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("fails fast").isLessThan(15_000);
    assertThat(lines)
        .hasSize(3)
        .allSatisfy(
            l -> {
              assertThat(l.get("state").asString()).isEqualTo("FAILED");
              assertThat(l.get("attempts").asInt()).isEqualTo(1);
              assertThat(l.get("error").toString()).contains("no execution role", "quarry-worker-");
            });
    assertThat(admin.get("/v1/jobs/" + job).json().get("state").asString()).isEqualTo("FAILED");
  }

  @Test
  void runtimesAreListedDeployedUpdatedAndDeletedOverRestAndGrpc() throws Exception {
    stack.profile("aws-a", Map.of("memory", "768"));
    stack.profile("aws-b", Map.of("memory", "768", "timeout", "30"));
    int creates = stack.emulator.stats().apiCalls("CreateFunction");
    Http.Response first = admin.post("/v1/profiles/aws-a/runtimes", "");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String name = first.json().get("name").asString();
    assertThat(name).matches("quarry-worker-[0-9a-f]{12}-768-t[0-9a-f]{10}");
    assertThat(first.json().get("change").asString()).isEqualTo("created");
    assertThat(first.json().get("state").asString()).isEqualTo("Active");
    assertThat(first.json().get("current").asBoolean()).isTrue();
    // a second profile with the same memory shares the function; deploying again changes nothing
    Http.Response shared = admin.post("/v1/profiles/aws-b/runtimes", "");
    assertThat(shared.json().get("name").asString()).isEqualTo(name);
    assertThat(shared.json().get("change").asString()).isEqualTo("unchanged");
    assertThat(stack.emulator.stats().apiCalls("CreateFunction")).isEqualTo(creates + 1);

    List<JsonNode> listed = new ArrayList<>();
    admin.get("/v1/profiles/aws-a/runtimes").json().get("runtimes").forEach(listed::add);
    assertThat(listed).anyMatch(r -> r.get("name").asString().equals(name));

    // a new timeout is pushed by update (UpdateFunctionCode + UpdateFunctionConfiguration +
    // waiters)
    stack.profile("aws-a", Map.of("memory", "768", "timeout", "45"));
    Http.Response updated = admin.put("/v1/profiles/aws-a/runtimes/" + name, "");
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().get("change").asString()).isEqualTo("updated");
    assertThat(updated.json().get("timeoutSeconds").asInt()).isEqualTo(45);
    assertThat(stack.emulator.function(name).orElseThrow().timeoutSeconds()).isEqualTo(45);

    // the Java client speaks gRPC RuntimeService
    try (var runtimes =
        dev.quarry.client.QuarryRuntimes.connect(
            stack.grpcTarget, ClientOptions.builder().apiKey(admin.key()).build())) {
      assertThat(runtimes.list("aws-a"))
          .anyMatch(r -> r.name().equals(name) && r.memoryMb() == 768 && r.current());
      assertThat(runtimes.deploy("aws-b").change()).isEqualTo("unchanged");
      assertThat(runtimes.delete("aws-a", name).change()).isEqualTo("deleted");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtimes.delete("aws-a", name))
          .isInstanceOfSatisfying(
              dev.quarry.client.QuarryException.class,
              e -> {
                assertThat(e.getMessage()).contains("no Lambda function named");
                assertThat(e.reason()).isEqualTo(dev.quarry.client.ErrorReason.RUNTIME_NOT_FOUND);
              });
    }
    assertThat(stack.emulator.function(name)).isEmpty();
    Http.Response gone = admin.delete("/v1/profiles/aws-a/runtimes/" + name);
    assertThat(gone.status()).as(gone.body()).isEqualTo(404);
    assertThat(gone.json().get("reason").asString()).isEqualTo("RUNTIME_NOT_FOUND");
    Http.Response notWorker = admin.delete("/v1/profiles/aws-a/runtimes/payroll");
    assertThat(notWorker.status()).isEqualTo(400);
    assertThat(notWorker.json().get("message").asString()).contains("not a worker function");
  }

  @Test
  void oneProgramRunsOnLocalAndLambdaProfilesAndGetsAllResults() throws Exception {
    var local = ClientOptions.builder().apiKey(admin.key()).build();
    var lambda = ClientOptions.builder().apiKey(admin.key()).profile("aws").build();
    try (FunctionExecutor onLocal = FunctionExecutor.connect(stack.grpcTarget, local);
        FunctionExecutor onLambda = FunctionExecutor.connect(stack.grpcTarget, lambda)) {
      List<JobFuture<Integer>> futures = new ArrayList<>(onLocal.map(x -> x * 2, List.of(1, 2, 3)));
      futures.addAll(onLambda.map(x -> x * 3, List.of(1, 2, 3)));
      assertThat(onLocal.getResult(futures)).containsExactly(2, 4, 6, 3, 6, 9);
    }
  }

  private static void warmUp(String profile) throws Exception {
    String job =
        admin
            .post(
                "/v1/jobs",
                "{\"function\":\"echo\",\"profile\":\"" + profile + "\",\"inputs\":[0,1]}")
            .json()
            .get("id")
            .asString();
    assertThat(RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + job + "/results")))
        .allMatch(l -> l.get("state").asString().equals("SUCCEEDED"));
  }

  private static long count(String sql) throws Exception {
    try (var c = stack.database.connect();
        var s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
