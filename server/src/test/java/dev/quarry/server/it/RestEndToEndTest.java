package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST API end to end, as curl would use it, against a real server and PostgreSQL. */
class RestEndToEndTest {
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    http = new Http(server.restUrl(), server.apiKey);
  }

  @Test
  void builtinEchoMapStreamsEveryResultAsNdjson() throws Exception {
    Http.Response submit =
        http.post(
            "/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,\"two\",{\"three\":3},null,[5]]}");
    assertThat(submit.status()).isEqualTo(201);
    String id = submit.json().get("id").asString();
    assertThat(submit.json().get("total").asInt()).isEqualTo(5);

    List<JsonNode> lines = ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
    assertThat(lines).hasSize(5);
    assertThat(lines).extracting(l -> l.get("index").asInt()).containsExactly(0, 1, 2, 3, 4);
    assertThat(lines.get(0).get("result").asInt()).isEqualTo(1);
    assertThat(lines.get(1).get("result").asString()).isEqualTo("two");
    assertThat(lines.get(2).get("result").get("three").asInt()).isEqualTo(3);
    assertThat(lines.get(3).get("result").isNull()).isTrue();
    assertThat(lines.get(4).get("result").get(0).asInt()).isEqualTo(5);

    JsonNode job = http.get("/v1/jobs/" + id).json();
    assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("succeeded").asInt()).isEqualTo(5);

    // the listing carries each job's own counts (one grouped query for the page)
    Http.Response other = http.post("/v1/jobs", "{\"function\":\"fail\",\"inputs\":[1,2]}");
    String otherId = other.json().get("id").asString();
    ndjson(http.get("/v1/jobs/" + otherId + "/results"));
    JsonNode listed = http.get("/v1/jobs?limit=100").json().get("jobs");
    JsonNode mine = null;
    JsonNode theOther = null;
    for (JsonNode j : listed) {
      if (j.get("id").asString().equals(id)) {
        mine = j;
      } else if (j.get("id").asString().equals(otherId)) {
        theOther = j;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(theOther).isNotNull();
    assertThat(mine.get("succeeded").asInt()).isEqualTo(5);
    assertThat(mine.get("failed").asInt()).isZero();
    assertThat(theOther.get("failed").asInt()).isEqualTo(2);
    assertThat(theOther.get("succeeded").asInt()).isZero();
  }

  @Test
  void largeInputsGoThroughStorageAndComeBackWhole() throws Exception {
    String large = "q".repeat(20_000);
    String id =
        http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[\"" + large + "\",\"small\"]}")
            .json()
            .get("id")
            .asString();
    List<JsonNode> lines = ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
    assertThat(lines.get(0).get("result").asString()).isEqualTo(large);
    assertThat(lines.get(1).get("result").asString()).isEqualTo("small");
    assertThat(server.dataDir().resolve("tenants/default/jobs/" + id + "/inputs/0")).exists();
    assertThat(server.dataDir().resolve("tenants/default/jobs/" + id + "/inputs/1")).doesNotExist();
  }

  @Test
  void completionOrderStreamsAllResultsOfALargeJob() throws Exception {
    String inputs =
        IntStream.range(0, 1500)
            .mapToObj(Integer::toString)
            .reduce((a, b) -> a + "," + b)
            .orElseThrow();
    String id =
        http.post(
                "/v1/jobs",
                "{\"function\":\"checksum\",\"chunkSize\":10,\"inputs\":[" + inputs + "]}")
            .json()
            .get("id")
            .asString();
    List<JsonNode> lines = ndjson(http.get("/v1/jobs/" + id + "/results"));
    assertThat(lines).hasSize(1500);
    assertThat(lines)
        .extracting(l -> l.get("index").asInt())
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1500).boxed().toList());
    assertThat(lines).allSatisfy(l -> assertThat(l.get("result").asString()).hasSize(64));
  }

  @Test
  void registeredJarFunctionRunsByNameAndReportsItsExceptions() throws Exception {
    Http.Response reg =
        http.postBytes(
            "/v1/functions?name=upper&entryClass=dev.quarry.server.testfns.Upper",
            jarOf("dev/quarry/server/testfns/Upper.class"),
            "application/java-archive");
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);

    String id =
        http.post("/v1/jobs", "{\"function\":\"upper\",\"inputs\":[\"quarry\",42]}")
            .json()
            .get("id")
            .asString();
    List<JsonNode> lines = ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
    assertThat(lines.get(0).get("result").get("upper").asString()).isEqualTo("QUARRY");
    assertThat(lines.get(1).get("state").asString()).isEqualTo("FAILED");
    JsonNode error = lines.get(1).get("error");
    assertThat(error.get("type").asString()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(error.get("message").asString()).isEqualTo("expected a string, got 42");
    assertThat(error.get("stackTrace").asString())
        .contains("dev.quarry.server.testfns.Upper.apply");
    assertThat(http.get("/v1/jobs/" + id).json().get("state").asString()).isEqualTo("FAILED");
    assertThat(http.get("/v1/functions").body()).contains("\"upper\"", "\"echo\"", "\"sleep\"");
  }

  @Test
  void cancelStopsAJobAndItsStreamEnds() throws Exception {
    String inputs =
        IntStream.range(0, 200).mapToObj(i -> "300").reduce((a, b) -> a + "," + b).orElseThrow();
    String id =
        http.post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[" + inputs + "]}")
            .json()
            .get("id")
            .asString();
    JsonNode cancelled = http.post("/v1/jobs/" + id + "/cancel", "").json();
    assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
    List<JsonNode> lines = ndjson(http.get("/v1/jobs/" + id + "/results"));
    assertThat(lines).hasSize(200);
    assertThat(lines)
        .filteredOn(l -> l.get("state").asString().equals("CANCELLED"))
        .hasSizeGreaterThan(150);
    assertThat(http.post("/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
  }

  @Test
  void badRequestsGetClearErrorsAndChangeNothing() throws Exception {
    long jobsBefore = count("jobs");
    long functionsBefore = count("functions");
    String big = "\"" + "x".repeat(70_000) + "\"";
    String many =
        IntStream.range(0, 20_001).mapToObj(i -> "0").reduce((a, b) -> a + "," + b).orElseThrow();
    record Case(
        String name, Http.Response response, int status, String code, String reason, String text) {}
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "malformed json",
            http.post("/v1/jobs", "{\"function\":"),
            400,
            "INVALID_ARGUMENT",
            "MALFORMED_REQUEST",
            "malformed JSON"));
    cases.add(
        new Case(
            "not an object",
            http.post("/v1/jobs", "[1,2]"),
            400,
            "INVALID_ARGUMENT",
            "MALFORMED_REQUEST",
            "JSON object"));
    cases.add(
        new Case(
            "unknown function",
            http.post("/v1/jobs", "{\"function\":\"nope\",\"inputs\":[1]}"),
            404,
            "NOT_FOUND",
            "FUNCTION_NOT_FOUND",
            "nope"));
    cases.add(
        new Case(
            "empty inputs",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[]}"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "empty"));
    cases.add(
        new Case(
            "inputs not array",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":5}"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "array"));
    cases.add(
        new Case(
            "too many inputs",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + many + "]}"),
            413,
            "PAYLOAD_TOO_LARGE",
            "PAYLOAD_TOO_LARGE",
            "20000"));
    cases.add(
        new Case(
            "input over limit",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + big + "]}"),
            413,
            "PAYLOAD_TOO_LARGE",
            "PAYLOAD_TOO_LARGE",
            "65536"));
    cases.add(
        new Case(
            "unknown field",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"chunk\":2}"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "chunk"));
    cases.add(
        new Case(
            "wrong type",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"chunkSize\":\"big\"}"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "chunkSize"));
    cases.add(
        new Case(
            "chunk too big",
            http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"chunkSize\":100000}"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "chunkSize"));
    cases.add(
        new Case(
            "unknown job",
            http.get("/v1/jobs/00000000-0000-0000-0000-000000000000"),
            404,
            "NOT_FOUND",
            "JOB_NOT_FOUND",
            "job"));
    cases.add(
        new Case(
            "malformed job id",
            http.get("/v1/jobs/not-a-job"),
            404,
            "NOT_FOUND",
            "JOB_NOT_FOUND",
            "not-a-job"));
    cases.add(
        new Case(
            "unknown job results",
            http.get("/v1/jobs/00000000-0000-0000-0000-000000000000/results"),
            404,
            "NOT_FOUND",
            "JOB_NOT_FOUND",
            "job"));
    cases.add(
        new Case(
            "bad order",
            http.get("/v1/jobs/00000000-0000-0000-0000-000000000000/results?order=random"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "order"));
    cases.add(
        new Case(
            "no key",
            http.withKey(null).get("/v1/jobs"),
            401,
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "API key"));
    cases.add(
        new Case(
            "wrong key",
            http.withKey("qk_abc_def").get("/v1/jobs"),
            401,
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "invalid"));
    cases.add(
        new Case(
            "jar not a zip",
            http.postBytes(
                "/v1/functions?name=x&entryClass=a.B",
                "hello".getBytes(),
                "application/java-archive"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "jar"));
    cases.add(
        new Case(
            "jar without class",
            http.postBytes(
                "/v1/functions?name=x&entryClass=a.B",
                jarOf("dev/quarry/server/testfns/Upper.class"),
                "application/java-archive"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "a.B"));
    cases.add(
        new Case(
            "bad function name",
            http.postBytes(
                "/v1/functions?name=../x&entryClass=a.B",
                new byte[] {1},
                "application/java-archive"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "name"));
    cases.add(
        new Case(
            "builtin name taken",
            http.postBytes(
                "/v1/functions?name=echo&entryClass=a.B",
                new byte[] {1},
                "application/java-archive"),
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "builtin"));
    for (Case c : cases) {
      assertThat(c.response().status())
          .as(c.name() + ": " + c.response().body())
          .isEqualTo(c.status());
      JsonNode body = c.response().json();
      assertThat(body.get("code").asString()).as(c.name()).isEqualTo(c.code());
      assertThat(body.get("reason").asString()).as(c.name()).isEqualTo(c.reason());
      assertThat(body.get("message").asString()).as(c.name()).contains(c.text());
      assertThat(body.has("retryable")).as(c.name()).isTrue();
    }
    assertThat(count("jobs")).isEqualTo(jobsBefore);
    assertThat(count("functions")).isEqualTo(functionsBefore);
    assertThat(http.get("/readyz").status()).isEqualTo(200);
  }

  static long count(String table) throws Exception {
    try (Connection c = TestServer.get().database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<JsonNode> ndjson(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response
        .body()
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> Http.JSON.readTree(l))
        .toList();
  }

  static byte[] jarOf(String... classFiles) throws Exception {
    Path classes = Path.of("target/test-classes");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (String f : classFiles) {
        jar.putNextEntry(new JarEntry(f));
        jar.write(Files.readAllBytes(classes.resolve(f)));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
