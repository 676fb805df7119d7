package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each command against a real server and PostgreSQL: output, JSON and exit codes. */
class CliCommandsTest extends OnServer {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void testRunsASmallMapAndReportsTheRoundTrip() {
    Cli.Result r = cli().run("test");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("connect  ok")
        .contains("result   0: \"hello 0\"")
        .containsPattern("map      ok: 3 inputs of echo as job \\S+, round trip \\d+ ms");

    Cli.Result json = cli().run("test", "--inputs", "2", "-o", "json");
    assertThat(json.code()).as(json.toString()).isZero();
    JsonNode report = JSON.readTree(json.out());
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("results")).hasSize(2);
    assertThat(report.get("results").get(1).get("result").asString()).isEqualTo("hello 1");
  }

  @Test
  void submitReadsJsonInputsFromAFileOrStdinAndPrintsResultsInInputOrder() throws Exception {
    Path inputs = home.resolve("in.json");
    Files.writeString(inputs, "[1, \"two\", {\"three\": 3}, null]");
    Cli.Result r =
        cli().run("submit", "echo", "--inputs", inputs.toString(), "--label", "cli-submit");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(JSON.readTree(r.out()))
        .isEqualTo(JSON.readTree("[1, \"two\", {\"three\": 3}, null]"));

    Cli.Result stdin = cli().stdin("[\"a\", \"b\"]").run("submit", "echo", "--inputs", "-");
    assertThat(stdin.code()).as(stdin.toString()).isZero();
    assertThat(JSON.readTree(stdin.out())).isEqualTo(JSON.readTree("[\"a\", \"b\"]"));

    Cli.Result notArray = cli().stdin("{\"a\": 1}").run("submit", "echo", "--inputs", "-");
    assertThat(notArray.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notArray.err()).contains("JSON array");

    Cli.Result unknownFn = cli().stdin("[1]").run("submit", "no-such-function", "--inputs", "-");
    assertThat(unknownFn.code()).as(unknownFn.toString()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void submitOfAFailingFunctionPrintsTheErrorsAndExits1() {
    Cli.Result r = cli().stdin("[\"boom\"]").run("submit", "fail", "--inputs", "-");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    JsonNode out = JSON.readTree(r.out());
    assertThat(out.get(0).get("error").get("message").asString()).contains("boom");
    assertThat(r.err()).contains("1 of 1 futures failed");
  }

  @Test
  void jobsListGetAndResultsAsJsonAndTables() {
    String id = submitNoWait("echo", "[10, 20, 30]");
    Cli.Result list = cli().run("jobs", "list", "-o", "json");
    assertThat(list.code()).as(list.toString()).isZero();
    JsonNode jobs = JSON.readTree(list.out());
    assertThat(jobs.valueStream().map(j -> j.get("id").asString())).contains(id);

    Cli.Result table = cli().run("jobs", "list", "--limit", "5");
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("JOB")
        .contains("STATE")
        .contains("FUNCTION");
    assertThat(table.out()).contains(id);

    Cli.Result ndjson = cli().run("jobs", "results", id, "--order", "input", "-o", "json");
    assertThat(ndjson.code()).as(ndjson.toString()).isZero();
    List<JsonNode> lines = ndjson.out().lines().map(l -> (JsonNode) JSON.readTree(l)).toList();
    assertThat(lines).extracting(l -> l.get("index").asInt()).containsExactly(0, 1, 2);
    assertThat(lines).extracting(l -> l.get("result").asInt()).containsExactly(10, 20, 30);

    Cli.Result results = cli().run("jobs", "results", id);
    assertThat(results.out()).startsWith("INDEX").contains("SUCCEEDED");

    Cli.Result get = cli().run("jobs", "get", id, "--output=json");
    JsonNode job = JSON.readTree(get.out());
    assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("succeeded").asInt()).isEqualTo(3);
  }

  @Test
  void watchOfAFailingJobEndsWithItsStateAndExit1() {
    String id = submitNoWait("fail", "[\"x\", \"y\"]");
    Cli.Result r = cli().run("jobs", "watch", id);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("job " + id + " FAILED: 0 succeeded, 2 failed, 0 cancelled of 2");
    assertThat(r.err()).doesNotContain("\r").doesNotContain("\u001b");
  }

  @Test
  void watchOfAJobCancelledWhileWatchedEndsWithExit1() {
    String id = submitNoWait("sleep", "[{\"ms\": 5000}, {\"ms\": 5000}, {\"ms\": 5000}]");
    Cli watcher = cli();
    StringWriter progress = new StringWriter();
    CompletableFuture<Cli.Result> watch =
        CompletableFuture.supplyAsync(() -> watcher.run(progress, "jobs", "watch", id));
    // the watch is open once it printed the job's first state
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> progress.toString().contains("job " + id + " RUNNING"));
    Cli.Result cancel = cli().run("jobs", "cancel", id);
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    Cli.Result r = watch.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("job " + id + " CANCELLED");
  }

  @Test
  void watchOfASucceedingJobExits0() {
    String id = submitNoWait("echo", "[1, 2]");
    Cli.Result r = cli().run("jobs", "watch", id);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("job " + id + " SUCCEEDED 2/2").contains("SUCCEEDED: 2 succeeded");
  }

  @Test
  void functionsRegisterUploadsAJarAndTheFunctionRuns() throws Exception {
    Path jar = TestJars.of(dev.quarry.cli.testfns.Upper.class, home.resolve("upper.jar"));

    Cli.Result reg =
        cli()
            .run(
                "functions",
                "register",
                "cli-upper",
                "--entry",
                "dev.quarry.cli.testfns.Upper",
                "--jar",
                jar.toString(),
                "-o",
                "json");
    assertThat(reg.code()).as(reg.toString()).isZero();
    assertThat(JSON.readTree(reg.out()).get("name").asString()).isEqualTo("cli-upper");

    Cli.Result list = cli().run("functions", "list");
    assertThat(list.out())
        .contains("cli-upper")
        .contains("JAR_ENTRY")
        .contains("echo")
        .contains("BUILTIN");

    Cli.Result run = cli().stdin("[\"abc\"]").run("submit", "cli-upper", "--inputs", "-");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(JSON.readTree(run.out()).get(0).asString()).isEqualTo("ABC");

    Cli.Result missingJar =
        cli()
            .run(
                "functions",
                "register",
                "x",
                "--entry",
                "a.B",
                "--jar",
                home.resolve("nope.jar").toString());
    assertThat(missingJar.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void configShowSaysWhereEachValueCameFromInPrecedenceOrderWithSecretsMasked() throws Exception {
    Path dir = Files.createDirectories(home.resolve(".quarry"));
    String fileKey = "qk_fromfile_secret_0123456789abcdef";
    Files.writeString(
        dir.resolve("config"),
        "grpc_address=file-host:1111\napi_key=" + fileKey + "\nprofile=from-file\n");
    Cli fileOnly = new Cli(home);
    Cli.Result r = fileOnly.run("config", "show", "-o", "json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode c = JSON.readTree(r.out());
    assertThat(c.get("server").get("value").asString()).isEqualTo("file-host:1111");
    assertThat(c.get("server").get("source").asString()).startsWith("config file");
    assertThat(c.get("profile").get("value").asString()).isEqualTo("from-file");
    assertThat(c.get("key").get("value").asString()).startsWith("********");
    assertThat(r.out()).doesNotContain(fileKey);

    Cli env =
        new Cli(home)
            .env("QUARRY_ADDRESS", "env-host:2222")
            .env("QUARRY_PROFILE", "from-env")
            .env("QUARRY_API_KEY", "qk_fromenv_secret_0123456789abcdef")
            .env("QUARRY_OUTPUT", "json");
    JsonNode e = JSON.readTree(env.run("config", "show").out());
    assertThat(e.get("server").get("source").asString()).isEqualTo("$QUARRY_ADDRESS");
    assertThat(e.get("key").get("source").asString()).isEqualTo("$QUARRY_API_KEY");
    assertThat(e.get("profile").get("value").asString()).isEqualTo("from-env");
    assertThat(e.get("output").get("source").asString()).isEqualTo("$QUARRY_OUTPUT");

    String flagKey = "qk_fromflag_secret_0123456789abcdef";
    Cli.Result f =
        env.run(
            "config",
            "show",
            "--server",
            "flag-host:3333",
            "--profile",
            "from-flag",
            "--key",
            flagKey);
    JsonNode fj = JSON.readTree(f.out());
    assertThat(fj.get("server").get("value").asString()).isEqualTo("flag-host:3333");
    assertThat(fj.get("server").get("source").asString()).isEqualTo("--server");
    assertThat(fj.get("key").get("source").asString()).isEqualTo("--key");
    assertThat(fj.get("profile").get("source").asString()).isEqualTo("--profile");
    assertThat(f.out() + f.err()).doesNotContain(flagKey).doesNotContain(fileKey);

    Cli.Result table = fileOnly.run("config", "show");
    assertThat(table.out()).startsWith("SETTING").doesNotContain(fileKey);
  }

  private String submitNoWait(String function, String inputs) {
    Cli.Result r =
        cli().stdin(inputs).run("submit", function, "--inputs", "-", "--no-wait", "--quiet");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as("only the job id").matches("[0-9a-f-]{36}\n");
    return r.out().strip();
  }
}
