package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #17: what a hostile client sent, and the 4xx it now gets (defects 1, 3, 5, 6). */
class HostileInputTest {
  static TestServer server;
  static Http admin;
  static Http operator;
  static ManagedChannel channel;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.get();
    admin = new Http(server.restUrl(), server.apiKey);
    operator = admin.withKey(TestServer.OPERATOR_KEY);
    channel = NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void profileSettingsOutsideTheirRangeAre400NamingTheSettingAndRange() throws Exception {
    Map<String, List<String>> bad =
        Map.of(
            "slidingWindowSize", List.of("2147483647", "0", "1001", "1.5"),
            "waitInOpenStateSeconds", List.of("Infinity", "1e309", "99999999999", "NaN", "0", "-1"),
            "invocationsPerSecond", List.of("-1", "2147483647", "0"),
            "maxConcurrentInvocations", List.of("-1", "2147483647"),
            "failureRateThreshold", List.of("0", "101", "NaN"),
            "minimumNumberOfCalls", List.of("0", "2147483647"),
            "maxAttempts", List.of("0", "11", "0x10"));
    List<String> failures = new ArrayList<>();
    for (var e : bad.entrySet()) {
      for (String v : e.getValue()) {
        Http.Response r =
            admin.put(
                "/v1/profiles/p-huge",
                "{\"backend\":\"local\",\"settings\":{\"" + e.getKey() + "\":\"" + v + "\"}}");
        if (r.status() != 400
            || !r.body().contains("'" + e.getKey() + "'")
            || !r.body().contains("–")) {
          failures.add(e.getKey() + "=" + v + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(admin.get("/v1/profiles").body()).doesNotContain("p-huge");
    assertThat(
            admin
                .put(
                    "/v1/profiles/p-ok",
                    "{\"backend\":\"local\",\"settings\":{\"slidingWindowSize\":\"1000\","
                        + "\"waitInOpenStateSeconds\":\"0.5e1\"}}")
                .status())
        .isEqualTo(400);
    assertThat(
            admin
                .put(
                    "/v1/profiles/p-ok",
                    "{\"backend\":\"local\",\"settings\":{\"slidingWindowSize\":\"1000\","
                        + "\"waitInOpenStateSeconds\":\"2.5\",\"invocationsPerSecond\":\"10000\"}}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void limitsAndJobSettingsOutsideTheirRangeAre400() throws Exception {
    for (String limits :
        List.of(
            "{\"maxConcurrentInvocations\":2147483647}",
            "{\"maxJobsInFlight\":0}",
            "{\"requestsPerSecond\":-1}",
            "{\"maxJobsInFlight\":1e400}",
            "{\"maxInputBytes\":2147483648}")) {
      Http.Response r = operator.put("/v1/admin/tenants/default/limits", limits);
      assertThat(r.status()).as(limits + " " + r.body()).isEqualTo(400);
    }
    for (String field :
        List.of(
            "\"maxAttempts\":0",
            "\"maxAttempts\":21",
            "\"chunkSize\":0",
            "\"chunkSize\":2147483647",
            "\"timeoutMs\":0",
            "\"timeoutMs\":99999999999999",
            "\"label\":\"" + "l".repeat(201) + "\"")) {
      Http.Response r =
          admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]," + field + "}");
      assertThat(r.status()).as(field + " " + r.body()).isEqualTo(400);
      String name = field.substring(1, field.indexOf('"', 1));
      assertThat(r.body()).as(field).contains(name);
    }
  }

  @Test
  void nulCharactersAre400BeforeTheDatabase() throws Exception {
    long jobs = RestEndToEndTest.count("jobs");
    List<Http.Response> answers = new ArrayList<>();
    answers.add(admin.post("/v1/jobs", "{\"function\":\"ec\\u0000ho\",\"inputs\":[1]}"));
    answers.add(
        admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"label\":\"a\\u0000\"}"));
    answers.add(
        admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"profile\":\"p\\u0000\"}"));
    answers.add(
        admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"label\":\"\\ud800\"}"));
    answers.add(
        admin.put("/v1/profiles/p-nul", "{\"backend\":\"local\",\"credential\":\"c\\u0000\"}"));
    answers.add(
        admin.put(
            "/v1/profiles/p-nul",
            "{\"backend\":\"local\",\"settings\":{\"maxAttempts\":\"1\\u0000\"}}"));
    answers.add(
        admin.put(
            "/v1/credentials/c-nul", "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"arn\\u0000\"}}"));
    answers.add(operator.post("/v1/admin/tenants", "{\"id\":\"t-nul\",\"name\":\"a\\u0000b\"}"));
    for (Http.Response r : answers) {
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().get("retryable").asBoolean()).isFalse();
    }
    assertThat(RestEndToEndTest.count("jobs")).isEqualTo(jobs);

    Metadata md = new Metadata();
    md.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + server.apiKey);
    var jobsStub =
        dev.quarry.proto.v1.JobServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                jobsStub.submitMap(
                    dev.quarry.proto.v1.SubmitMapRequest.newBuilder()
                        .setFunction("echo")
                        .setLabel("a\0")
                        .addInputs(dev.quarry.proto.v1.Input.newBuilder().setJson("1"))
                        .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("NUL");
  }

  @Test
  void brokenJarsAreRefusedAndARegisteredOneHasItsCreationTime() throws Exception {
    byte[] upper = classBytes("dev/quarry/server/testfns/Upper.class");
    byte[] good = jar(Map.of("dev/quarry/server/testfns/Upper.class", upper));
    String path = "/v1/functions?name=hostile-upper&entryClass=dev.quarry.server.testfns.Upper";
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 30);
    byte[] garbage =
        jar(Map.of("dev/quarry/server/testfns/Upper.class", "not a class file at all".getBytes()));
    byte[] otherName =
        jar(
            Map.of(
                "dev/quarry/server/testfns/Upper.class",
                classBytes("dev/quarry/server/it/TestServer.class")));
    byte[] badCrc = good.clone();
    int at = indexOf(badCrc, upper, 0);
    if (at < 0) {
      throw new IllegalStateException("the test jar is expected to store the class uncompressed");
    }
    badCrc[at + 20] ^= 0x55;
    for (byte[] broken : List.of(truncated, garbage, otherName, badCrc, "PK".getBytes())) {
      Http.Response r = admin.postBytes(path, broken, "application/java-archive");
      assertThat(r.status()).as(r.body()).isEqualTo(400);
    }
    Http.Response ok = admin.postBytes(path, good, "application/java-archive");
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(ok.json().get("createdAt").isNull()).isFalse();
  }

  @Test
  void numbersOutOfRangeInInputsAre400NotInfinity() throws Exception {
    Http.Response r = admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1e400]}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(
            admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[{\"a\":-1e400}]}").status())
        .isEqualTo(400);
  }

  @Test
  void echoedInputIsTruncated() throws Exception {
    String huge = "n".repeat(1_000_000);
    Http.Response credential =
        admin.put(
            "/v1/profiles/p-echo",
            "{\"backend\":\"local\",\"credential\":\"" + huge.substring(0, 100_000) + "\"}");
    assertThat(credential.status()).isBetween(400, 404);
    assertThat(credential.body().length()).isLessThan(1000);
    Http.Response profile =
        admin.post(
            "/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"profile\":\"" + huge + "\"}");
    assertThat(profile.status()).isEqualTo(400);
    assertThat(profile.body().length()).isLessThan(1000);
    Http.Response function =
        admin.post("/v1/jobs", "{\"function\":\"" + "f".repeat(250) + "\",\"inputs\":[1]}");
    assertThat(function.status()).isEqualTo(404);
    assertThat(function.body().length()).isLessThan(500);
  }

  @Test
  void jsonEndpointsAnswer415ForOtherContentTypes() throws Exception {
    String job = "{\"function\":\"echo\",\"inputs\":[1]}";
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
      Http.Response r = admin.postBytes("/v1/jobs", job.getBytes(), type);
      assertThat(r.status()).as(type).isEqualTo(415);
      assertThat(r.json().get("code").asString()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
    RawHttp.Answer none =
        RawHttp.send(
            server.httpPort,
            "POST",
            "/v1/jobs",
            "Authorization: Bearer " + server.apiKey + "\r\n",
            job.getBytes());
    assertThat(none.status()).isEqualTo(415);
    assertThat(none.isJsonError()).isTrue();
  }

  @Test
  void tooManyRequestsCarryRetryAfter() throws Exception {
    String tenant = "limited-" + randomId();
    Http t =
        admin.withKey(
            operator
                .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"L\"}")
                .json()
                .get("adminKeySecret")
                .asString());
    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant + "/limits", "{\"requestsPerSecond\":1}")
                .status())
        .isEqualTo(200);
    RawHttp.Answer limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      RawHttp.Answer a =
          RawHttp.get(server.httpPort, "/v1/jobs", "Authorization: Bearer " + t.key() + "\r\n");
      if (a.status() == 429) {
        limited = a;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(limited.headers()).containsIgnoringCase("Retry-After: 1");
    assertThat(limited.isJsonError()).isTrue();
  }

  @Test
  void aRefusedSubmitLeavesItsInputsNowhere() throws Exception {
    String tenant = "refused-" + randomId();
    Http t =
        admin.withKey(
            operator
                .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"R\"}")
                .json()
                .get("adminKeySecret")
                .asString());
    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant + "/limits", "{\"maxJobsInFlight\":1}")
                .status())
        .isEqualTo(200);
    Http.Response first = t.post("/v1/jobs", "{\"function\":\"sleep\",\"inputs\":[3000]}");
    assertThat(first.status()).isEqualTo(201);
    Path jobsDir = server.dataDir().resolve("tenants").resolve(tenant).resolve("jobs");
    long before = countFiles(jobsDir);
    String big = "\"" + "b".repeat(10_000) + "\"";
    Http.Response refused =
        t.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[" + big + "," + big + "]}");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(countFiles(jobsDir)).isEqualTo(before);
  }

  private static long countFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().contains("/inputs/"))
          .filter(Files::isRegularFile)
          .count();
    }
  }

  static byte[] classBytes(String resource) throws Exception {
    try (InputStream in = HostileInputTest.class.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  /** A jar whose entries are stored uncompressed (so a test can damage one entry's bytes). */
  static byte[] jar(Map<String, byte[]> entries) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static String randomId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
