package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.testkit.Http;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A profile naming its own bucket ({@code bucket}): its jobs' staged inputs, bundle, manifest,
 * results and logs go to that bucket, on the local backend and on Lambda, and are read back from
 * there by REST and the Java client; the server's bucket gets none of them; another tenant reaches
 * nothing; a bucket the credential cannot reach is refused when the profile is written and when a
 * job is submitted.
 */
class ProfileBucketTest {
  static BucketStack stack;
  static Http a;

  @BeforeAll
  static void setUp() throws Exception {
    stack = BucketStack.get();
    a = stack.tenantA;
    stack.profile(a, "local-a", "local", Map.of("bucket", BucketStack.TEAM_A));
    stack.profile(
        a, "lambda-a", "lambda", stack.lambdaSettings(Map.of("bucket", BucketStack.TEAM_A)));
    Http.Response reg =
        a.postBytes(
            "/v1/functions?name=chatty&entryClass=dev.quarry.server.testfns.Chatty",
            RestEndToEndTest.jarOf("dev/quarry/server/testfns/Chatty.class"),
            "application/java-archive");
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
  }

  @Test
  void aMapOnALocalProfileKeepsEveryObjectOfItsJobInTheTeamsBucket() throws Exception {
    assertJobLivesInTheTeamsBucket("local-a");
  }

  @Test
  void aMapOnALambdaProfileKeepsEveryObjectOfItsJobInTheTeamsBucket() throws Exception {
    assertJobLivesInTheTeamsBucket("lambda-a");
  }

  @Test
  void theJavaClientReadsResultsAndLogsFromTheTeamsBucket() throws Exception {
    var options = ClientOptions.builder().apiKey(a.key()).profile("lambda-a").build();
    try (FunctionExecutor exec = FunctionExecutor.connect(stack.server.grpcTarget(), options)) {
      List<JobFuture<Integer>> futures =
          exec.map(
              x -> {
                System.out.println("tripled " + x);
                return x * 3;
              },
              List.of(1, 2, 3));
      assertThat(futures.get(0).get(60, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(futures.get(2).get(60, TimeUnit.SECONDS)).isEqualTo(9);
      assertThat(futures.get(1).get(60, TimeUnit.SECONDS)).isEqualTo(6);
      assertThat(futures.get(1).logs()).contains("tripled 2");
      String job = futures.get(0).jobId();
      String prefix = "tenants/default/jobs/" + job + "/";
      assertThat(stack.teamBucket.list(prefix)).anyMatch(k -> k.contains("/results/"));
      assertThat(stack.serverBucket.list(prefix)).isEmpty();
      // the client's bundle (uploaded to the server) was staged into the team's bucket
      assertThat(stack.teamBucket.list("tenants/default/functions/")).isNotEmpty();
    }
  }

  @Test
  void retryFailedRunsAgainFromTheTeamsBucketAndItsErrorsAreReadFromThere() throws Exception {
    Http.Response r =
        a.post(
            "/v1/jobs",
            "{\"function\":\"fail\",\"profile\":\"local-a\",\"maxAttempts\":1,\"inputs\":[\""
                + "f".repeat(5000)
                + "\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String job = r.json().get("id").asString();
    assertThat(awaitResults(job, 1).get(0).get("attempts").asInt()).isEqualTo(1);

    Http.Response retry = a.post("/v1/jobs/" + job + "/retry-failed", "");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    JsonNode line = awaitResults(job, 1).get(0);

    assertThat(line.get("attempts").asInt()).isEqualTo(2);
    assertThat(line.get("state").asString()).isEqualTo("FAILED");
    // the stack trace is only in the stored error object, which lives in the team's bucket
    assertThat(line.get("error").get("stackTrace").asString()).isNotEmpty();
    String prefix = "tenants/default/jobs/" + job + "/";
    assertThat(stack.teamBucket.list(prefix))
        .anyMatch(k -> k.contains("/inputs/"))
        .anyMatch(k -> k.endsWith("/results/0.1"))
        .anyMatch(k -> k.endsWith("/results/0.2"));
    assertThat(stack.serverBucket.list(prefix)).isEmpty();
  }

  @Test
  void anotherTenantReachesNoneOfTheTeamsJobs() throws Exception {
    String job = submit("local-a", "\"visible only to A\"");
    awaitResults(job, 1);

    for (String path :
        List.of(
            "/v1/jobs/" + job,
            "/v1/jobs/" + job + "/results",
            "/v1/jobs/" + job + "/futures/0/logs")) {
      Http.Response r = stack.tenantB.get(path);
      assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(404);
    }
    // and B cannot submit to A's profile
    Http.Response r =
        stack.tenantB.post(
            "/v1/jobs", "{\"function\":\"chatty\",\"profile\":\"local-a\",\"inputs\":[1]}");
    assertThat(r.status()).as(r.body()).isEqualTo(404);
  }

  @Test
  void aProfileIsRefusedWhenItsBucketIsInvalidOrUnreachable() throws Exception {
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    try {
      refusals();
    } finally {
      root.detachAppender(appender);
    }
    assertThat(appender.list)
        .as("log lines")
        .anyMatch(e -> e.getFormattedMessage().contains("is not reachable with credential"))
        .noneMatch(e -> logged(e).contains(BucketStack.SECRET))
        .noneMatch(e -> logged(e).contains("not-the-secret"));
  }

  private static String logged(ILoggingEvent e) {
    StringBuilder text = new StringBuilder(e.getFormattedMessage());
    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getMessage());
    }
    return text.toString();
  }

  private static void refusals() throws Exception {
    assertRefused("bad", Map.of("bucket", "Team_A"), "team-aws", "S3 bucket name");
    assertRefused("bad", Map.of("bucket", "192.168.1.10"), "team-aws", "IP address");
    assertRefused("bad", Map.of("bucket", "x".repeat(64)), "team-aws", "3-63");
    assertRefused("bad", Map.of("bucket", "no-such-bucket"), "team-aws", "cannot be written");
    assertRefused(
        "bad", Map.of("bucket", BucketStack.SERVER_BUCKET), "team-aws", "server's own bucket");
    assertRefused("bad", Map.of("bucket", BucketStack.TEAM_A), null, "aws credential");
    stack.credential(a, "wrong-aws", "not-the-secret");
    assertRefused("bad", Map.of("bucket", BucketStack.TEAM_A), "wrong-aws", "HTTP 403");
    Http.Response k8s =
        a.put(
            "/v1/credentials/team-k8s",
            "{\"kind\":\"kubernetes\",\"fields\":{\"token\":\"t\",\"server\":\"https://k\"}}");
    assertThat(k8s.status()).as(k8s.body()).isEqualTo(200);
    assertRefused("bad", Map.of("bucket", BucketStack.TEAM_A), "team-k8s", "aws credential");
    assertThat(a.get("/v1/profiles").body()).doesNotContain("\"bad\"");
  }

  @Test
  void aSubmitIsRefusedOnceTheProfilesCredentialNoLongerReachesItsBucket() throws Exception {
    stack.credential(a, "rotating-aws", BucketStack.SECRET);
    Http.Response put =
        stack.putProfile(
            a, "local-rotating", "local", Map.of("bucket", BucketStack.TEAM_A), "rotating-aws");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    awaitResults(submit("local-rotating", "1"), 1);

    stack.credential(a, "rotating-aws", "revoked-secret");
    Http.Response r =
        a.post(
            "/v1/jobs",
            "{\"function\":\"chatty\",\"profile\":\"local-rotating\",\"inputs\":[\""
                + "y".repeat(5000)
                + "\"]}");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("team-a").contains("rotating-aws").doesNotContain("revoked");
  }

  private static void assertJobLivesInTheTeamsBucket(String profile) throws Exception {
    // over the inline limit: the input is staged in storage
    String big = "z".repeat(5000);
    String job = submit(profile, "\"" + big + "\",\"small\"");
    List<JsonNode> lines = awaitResults(job, 2);
    assertThat(lines)
        .extracting(l -> l.get("state").asString())
        .containsExactly("SUCCEEDED", "SUCCEEDED");
    assertThat(lines.get(1).get("result").asString()).isEqualTo("small");
    assertThat(lines.get(0).get("result").asString()).isEqualTo(big);
    Http.Response logs = a.get("/v1/jobs/" + job + "/futures/1/logs");
    assertThat(logs.status()).as(logs.body()).isEqualTo(200);
    assertThat(logs.body()).contains("out small").contains("err small");

    String prefix = "tenants/default/jobs/" + job + "/";
    assertThat(stack.teamBucket.list(prefix))
        .anyMatch(k -> k.contains("/inputs/"))
        .anyMatch(k -> k.contains("/results/"))
        .anyMatch(k -> k.contains("/logs/"));
    assertThat(stack.serverBucket.list(prefix)).as("the server's bucket").isEmpty();
    assertThat(stack.teamBucket.list("tenants/default/blobs/"))
        .as("the function's jar")
        .isNotEmpty();
    assertThat(stack.teamBucket.list("tenants/default/functions/")).as("its manifest").isNotEmpty();
  }

  private static void assertRefused(
      String name, Map<String, String> settings, String credential, String message)
      throws Exception {
    Http.Response r = stack.putProfile(a, name, "local", settings, credential);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains(message).doesNotContain(BucketStack.SECRET);
  }

  private static String submit(String profile, String inputs) throws Exception {
    Http.Response r =
        a.post(
            "/v1/jobs",
            "{\"function\":\"chatty\",\"profile\":\""
                + profile
                + "\",\"maxAttempts\":1,\"inputs\":["
                + inputs
                + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static List<JsonNode> awaitResults(String job, int n) throws Exception {
    List<JsonNode> lines =
        RestEndToEndTest.ndjson(a.get("/v1/jobs/" + job + "/results?order=input"));
    assertThat(lines).hasSize(n);
    return lines;
  }
}
