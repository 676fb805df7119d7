package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin and operator commands against a real server: keys, credentials, profiles, audit, tenants,
 * limits.
 */
class CliAdminTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static CliServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.get();
  }

  @Test
  void keysCreateShowsTheSecretOnceAndTheNewKeyWorksUntilRevoked() {
    Cli admin = Cli.forServer(server, home);
    Cli.Result created =
        admin.run("keys", "create", "cli-viewer", "--role", "viewer", "-o", "json");
    assertThat(created.code()).as(created.toString()).isZero();
    JsonNode k = JSON.readTree(created.out());
    String secret = k.get("secret").asString();
    String id = k.get("key").get("id").asString();

    Cli.Result list = admin.run("keys", "list");
    assertThat(list.out()).contains("cli-viewer").contains("viewer").doesNotContain(secret);

    Cli viewer = new Cli(home).env("QUARRY_ADDRESS", server.target()).env("QUARRY_API_KEY", secret);
    assertThat(viewer.run("jobs", "list").code()).isZero();
    Cli.Result forbidden = viewer.stdin("[1]").run("submit", "echo", "--inputs", "-");
    assertThat(forbidden.code()).as(forbidden.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(forbidden.err()).contains("403");

    assertThat(admin.run("keys", "revoke", id).code()).isZero();
    assertThat(viewer.run("jobs", "list").code()).isEqualTo(ExitCodes.AUTH);

    Cli.Result audit = admin.run("audit", "--limit", "20");
    assertThat(audit.code()).as(audit.toString()).isZero();
    assertThat(audit.out()).startsWith("AT").contains(id);
  }

  @Test
  void credentialsAreReadFromAFileAndNeverPrinted() throws Exception {
    String secretValue = "cli-test-secret-access-key-value-0123456789";
    Path file = home.resolve("aws.properties");
    Files.writeString(
        file, "accessKeyId=cli-test-access-key-id-not-real\nsecretAccessKey=" + secretValue + "\n");
    Cli admin = Cli.forServer(server, home);
    Cli.Result put =
        admin.run("credentials", "put", "cli-aws", "--kind", "aws", "--from-file", file.toString());
    assertThat(put.code()).as(put.toString()).isZero();
    assertThat(put.out()).contains("cli-aws").doesNotContain(secretValue);

    Cli.Result list = admin.run("credentials", "list", "-o", "json");
    assertThat(list.out())
        .contains("cli-aws")
        .doesNotContain(secretValue)
        .doesNotContain("cli-test-access-key-id");

    Cli.Result noValues =
        admin.run("credentials", "put", "x", "--kind", "aws", "--field", "secretAccessKey");
    assertThat(noValues.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noValues.err()).contains("--from-file");

    Cli.Result profiles = admin.run("profiles", "list");
    assertThat(profiles.code()).as(profiles.toString()).isZero();
    Cli.Result unknownProfile = admin.run("runtimes", "list", "--profile", "no-such-profile");
    assertThat(unknownProfile.code()).as(unknownProfile.toString()).isEqualTo(ExitCodes.NOT_FOUND);

    assertThat(admin.run("credentials", "delete", "cli-aws").code()).isZero();
  }

  @Test
  void operatorCreatesATenantAndSetsItsLimits() {
    Cli operator =
        new Cli(home)
            .env("QUARRY_ADDRESS", server.target())
            .env("QUARRY_API_KEY", CliServer.OPERATOR_KEY);
    Cli.Result created =
        operator.run("tenants", "create", "cli-team", "--name", "CLI team", "-o", "json");
    assertThat(created.code()).as(created.toString()).isZero();
    String adminSecret = JSON.readTree(created.out()).get("adminKeySecret").asString();
    assertThat(operator.run("tenants", "list").out())
        .contains("cli-team")
        .doesNotContain(adminSecret);

    Cli.Result set = operator.run("limits", "cli-team", "--set", "maxInputsPerJob=7", "-o", "json");
    assertThat(set.code()).as(set.toString()).isZero();
    assertThat(JSON.readTree(set.out()).get("maxInputsPerJob").asInt()).isEqualTo(7);

    Cli team =
        new Cli(home).env("QUARRY_ADDRESS", server.target()).env("QUARRY_API_KEY", adminSecret);
    Cli.Result tooMany = team.stdin("[1,2,3,4,5,6,7,8]").run("submit", "echo", "--inputs", "-");
    assertThat(tooMany.code()).as(tooMany.toString()).isEqualTo(ExitCodes.FAILED);

    Cli.Result notOperator = Cli.forServer(server, home).run("tenants", "list");
    assertThat(notOperator.code()).as(notOperator.toString()).isEqualTo(ExitCodes.AUTH);
  }
}
