package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quarry.testkit.Http;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Team credentials are write-only, sealed at rest, used through profiles, and never leak. */
class CredentialsTest {
  static TestServer server;
  static Http admin;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    String id = "cred-" + UUID.randomUUID().toString().substring(0, 8);
    admin =
        new Http(
            server.restUrl(),
            new Http(server.restUrl(), TestServer.OPERATOR_KEY)
                .post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Creds\"}")
                .json()
                .get("adminKeySecret")
                .asString());
  }

  @Test
  void membersRunJobsOnAProfileWithoutEverSeeingTheSecret() throws Exception {
    String secret = "S3cr3t-" + UUID.randomUUID();
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    try {
      Http.Response put =
          admin.put(
              "/v1/credentials/team-aws",
              "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"test-access-key-id-creds\",\"secretAccessKey\":\""
                  + secret
                  + "\"}}");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(put.body()).doesNotContain(secret).doesNotContain("test-access-key-id-creds");
      assertThat(
              admin
                  .put(
                      "/v1/profiles/local-team",
                      "{\"backend\":\"local\",\"settings\":{\"maxAttempts\":\"4\"},\"credential\":\"team-aws\"}")
                  .status())
          .isEqualTo(200);
      Http member =
          admin.withKey(
              admin
                  .post("/v1/keys", "{\"name\":\"m\",\"role\":\"member\"}")
                  .json()
                  .get("secret")
                  .asString());

      JsonNode job =
          member
              .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[7],\"profile\":\"local-team\"}")
              .json();
      List<JsonNode> lines =
          RestEndToEndTest.ndjson(member.get("/v1/jobs/" + job.get("id").asString() + "/results"));
      assertThat(lines.get(0).get("result").asInt()).isEqualTo(7);
      assertThat(member.get("/v1/profiles").body())
          .contains("local-team", "team-aws")
          .doesNotContain(secret);
      assertThat(member.get("/v1/credentials").status()).isEqualTo(403);
      assertThat(admin.get("/v1/credentials").body())
          .contains("team-aws")
          .doesNotContain(secret)
          .doesNotContain("test-access-key-id-creds");
      assertThat(admin.get("/v1/audit").body()).contains("credential.use", "credential.put");

      assertThat(dumpOfEveryTable()).doesNotContain(secret);
      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains(secret));
    } finally {
      root.detachAppender(appender);
    }
  }

  @Test
  void javaClientConnectsWithAKeyAndAProfile() throws Exception {
    admin.put(
        "/v1/credentials/java-aws",
        "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"arn:aws:iam::1:role/j\"}}");
    admin.put("/v1/profiles/java-local", "{\"backend\":\"local\",\"credential\":\"java-aws\"}");
    String key =
        admin
            .post("/v1/keys", "{\"name\":\"java\",\"role\":\"member\"}")
            .json()
            .get("secret")
            .asString();
    var options =
        dev.quarry.client.ClientOptions.builder().apiKey(key).profile("java-local").build();
    try (var fexec = dev.quarry.client.FunctionExecutor.connect(server.grpcTarget(), options)) {
      assertThat(fexec.getResult(fexec.map(x -> x + 1, List.of(1, 2)))).containsExactly(2, 3);
    }
    assertThat(admin.get("/v1/audit").body()).contains("java-aws (job on profile java-local)");
    var wrong = dev.quarry.client.ClientOptions.builder().apiKey(key).profile("missing").build();
    try (var fexec = dev.quarry.client.FunctionExecutor.connect(server.grpcTarget(), wrong)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> fexec.map(x -> x, List.of(1)))
          .isInstanceOfSatisfying(
              dev.quarry.client.QuarryException.class,
              e -> {
                assertThat(e.getMessage()).contains("missing");
                assertThat(e.reason()).isEqualTo(dev.quarry.client.ErrorReason.PROFILE_NOT_FOUND);
              });
    }
  }

  @Test
  void profilesCheckTheirBackendAndCredentialsCannotBeDeletedWhileUsed() throws Exception {
    admin.put(
        "/v1/credentials/k8s",
        "{\"kind\":\"kubernetes\",\"fields\":{\"token\":\"t0ken\",\"server\":\"https://k8s.example.com\"}}");
    Http.Response wrongKind =
        admin.put(
            "/v1/profiles/lambda-prod",
            "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\"},\"credential\":\"k8s\"}");
    assertThat(wrongKind.status()).isEqualTo(400);
    assertThat(wrongKind.json().get("message").asString()).contains("kind aws");
    admin.put(
        "/v1/credentials/prod-aws",
        "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"test-access-key-id-prod\",\"secretAccessKey\":\"s\"}}");
    assertThat(
            admin
                .put(
                    "/v1/profiles/lambda-prod",
                    "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\"},\"credential\":\"prod-aws\"}")
                .status())
        .isEqualTo(200);
    // this test server stores objects on the filesystem; Lambda workers need S3
    Http.Response submit =
        admin.post(
            "/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"profile\":\"lambda-prod\"}");
    assertThat(submit.status()).isEqualTo(400);
    assertThat(submit.json().get("message").asString()).contains("Lambda", "S3 storage");
    Http.Response noProfile =
        admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"profile\":\"nope\"}");
    assertThat(noProfile.status()).isEqualTo(404);
    assertThat(noProfile.json().get("reason").asString()).isEqualTo("PROFILE_NOT_FOUND");
    Http.Response inUse = admin.delete("/v1/credentials/prod-aws");
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().get("reason").asString()).isEqualTo("RESOURCE_IN_USE");
    assertThat(admin.delete("/v1/profiles/lambda-prod").status()).isEqualTo(200);
    assertThat(admin.delete("/v1/credentials/prod-aws").status()).isEqualTo(200);
    assertThat(admin.delete("/v1/credentials/k8s").status()).isEqualTo(200);
  }

  @Test
  void badCredentialRequestsGetClearErrorsAndChangeNothing() throws Exception {
    long before = RestEndToEndTest.count("credentials");
    long profiles = RestEndToEndTest.count("backend_profiles");
    record Case(String name, Http.Response r, int status, String text) {}
    var cases =
        List.of(
            new Case(
                "unknown kind",
                admin.put("/v1/credentials/x", "{\"kind\":\"gcp\",\"fields\":{\"a\":\"b\"}}"),
                400,
                "kind"),
            new Case(
                "unknown field",
                admin.put(
                    "/v1/credentials/x", "{\"kind\":\"aws\",\"fields\":{\"password\":\"p\"}}"),
                400,
                "password"),
            new Case(
                "incomplete aws",
                admin.put(
                    "/v1/credentials/x", "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"a\"}}"),
                400,
                "secretAccessKey"),
            new Case(
                "incomplete azure",
                admin.put(
                    "/v1/credentials/x", "{\"kind\":\"azure\",\"fields\":{\"tenantId\":\"a\"}}"),
                400,
                "clientSecret"),
            new Case(
                "field not a string",
                admin.put("/v1/credentials/x", "{\"kind\":\"aws\",\"fields\":{\"roleArn\":5}}"),
                400,
                "roleArn"),
            new Case(
                "fields missing",
                admin.put("/v1/credentials/x", "{\"kind\":\"aws\"}"),
                400,
                "fields"),
            new Case(
                "bad name",
                admin.put(
                    "/v1/credentials/Bad_Name",
                    "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"r\"}}"),
                400,
                "name"),
            new Case(
                "extra body field",
                admin.put("/v1/credentials/x", "{\"kind\":\"aws\",\"fields\":{},\"owner\":\"me\"}"),
                400,
                "owner"),
            new Case("malformed", admin.put("/v1/credentials/x", "{"), 400, "malformed"),
            new Case(
                "unknown backend",
                admin.put("/v1/profiles/p", "{\"backend\":\"mainframe\"}"),
                400,
                "backend"),
            new Case(
                "unknown credential",
                admin.put("/v1/profiles/p", "{\"backend\":\"local\",\"credential\":\"ghost\"}"),
                404,
                "ghost"),
            new Case(
                "settings not strings",
                admin.put(
                    "/v1/profiles/p", "{\"backend\":\"local\",\"settings\":{\"memory\":1024}}"),
                400,
                "memory"),
            new Case(
                "unknown setting",
                admin.put(
                    "/v1/profiles/p", "{\"backend\":\"local\",\"settings\":{\"note\":\"x\"}}"),
                400,
                "note"),
            new Case(
                "lambda without region",
                admin.put("/v1/profiles/p", "{\"backend\":\"lambda\",\"settings\":{}}"),
                400,
                "region"),
            new Case(
                "lambda memory out of range",
                admin.put(
                    "/v1/profiles/p",
                    "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\",\"memory\":\"64\"}}"),
                400,
                "memory"),
            new Case(
                "lambda bad role",
                admin.put(
                    "/v1/profiles/p",
                    "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\",\"role\":\"admin\"}}"),
                400,
                "role"),
            new Case(
                "lambda endpoint not allowed",
                admin.put(
                    "/v1/profiles/p",
                    "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\",\"endpoint\":\"http://10.0.0.1\"}}"),
                400,
                "endpoint"),
            new Case(
                "resilience not a number",
                admin.put(
                    "/v1/profiles/p",
                    "{\"backend\":\"local\",\"settings\":{\"maxAttempts\":\"many\"}}"),
                400,
                "maxAttempts"),
            new Case(
                "lambda without credential",
                admin.put(
                    "/v1/profiles/p",
                    "{\"backend\":\"lambda\",\"settings\":{\"region\":\"eu-west-1\"}}"),
                400,
                "credential"),
            new Case("delete unknown", admin.delete("/v1/credentials/ghost"), 404, "ghost"),
            new Case("delete unknown profile", admin.delete("/v1/profiles/ghost"), 404, "ghost"));
    for (Case c : cases) {
      assertThat(c.r().status()).as(c.name() + ": " + c.r().body()).isEqualTo(c.status());
      assertThat(c.r().json().get("message").asString()).as(c.name()).contains(c.text());
    }
    assertThat(RestEndToEndTest.count("credentials")).isEqualTo(before);
    assertThat(RestEndToEndTest.count("backend_profiles")).isEqualTo(profiles);
  }

  /** Every row of every table as text, as a database dump would show it. */
  static String dumpOfEveryTable() throws Exception {
    StringBuilder dump = new StringBuilder();
    try (Connection c = server.database.connect();
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables)
          .contains("credentials", "backend_profiles", "audit_events", "jobs", "tasks");
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("select t::text from \"" + t + "\" t")) {
          while (rs.next()) {
            dump.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return dump.toString();
  }
}
