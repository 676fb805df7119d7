package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.testfns.Flaky;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code quarry jobs retry-failed} against a real server: futures that failed the first time run
 * again and the job ends SUCCEEDED with every result; a cancelled job is refused with exit 1.
 */
class CliRetryFailedTest extends OnServer {

  @Test
  void failedFuturesRunAgainAndTheJobSucceedsWithEveryResult() throws Exception {
    Path jar = TestJars.of(Flaky.class, home.resolve("flaky.jar"));
    Cli.Result reg =
        cli()
            .run(
                "functions",
                "register",
                "cli-flaky",
                "--entry",
                Flaky.class.getName(),
                "--jar",
                jar.toString());
    assertThat(reg.code()).as(reg.toString()).isZero();
    // the workers are not sandboxed in these tests: they see the markers in the test's home
    String inputs =
        "[\"a\", \"" + home.resolve("m1") + "\", \"b\", \"" + home.resolve("m2") + "\"]";
    Cli.Result submit =
        cli().stdin(inputs).run("submit", "cli-flaky", "--inputs", "-", "--no-wait", "--quiet");
    assertThat(submit.code()).as(submit.toString()).isZero();
    String id = submit.out().strip();
    Cli.Result failed = cli().run("jobs", "watch", id);
    assertThat(failed.code()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(failed.err()).contains("FAILED: 2 succeeded, 2 failed");

    Cli.Result retry = cli().run("jobs", "retry-failed", id);
    assertThat(retry.code()).as(retry.toString()).isZero();
    assertThat(retry.out()).startsWith("JOB").contains(id).contains("retried 2 failed futures");

    Cli.Result watch = cli().run("jobs", "watch", id);
    assertThat(watch.code()).as(watch.toString()).isZero();
    assertThat(watch.err()).contains("SUCCEEDED: 4 succeeded");
    Cli.Result results = cli().run("jobs", "results", id, "--order", "input", "-o", "json");
    assertThat(results.code()).as(results.toString()).isZero();
    List<JsonNode> lines =
        results.out().lines().map(l -> (JsonNode) CliCommandsTest.JSON.readTree(l)).toList();
    assertThat(lines)
        .extracting(l -> l.get("result").asString())
        .containsExactly("ok a", "again m1", "ok b", "again m2");

    Cli.Result nothing = cli().run("jobs", "retry-failed", id, "-o", "json");
    assertThat(nothing.code()).as(nothing.toString()).isZero();
    JsonNode json = CliCommandsTest.JSON.readTree(nothing.out());
    assertThat(json.get("retried").asInt()).isZero();
    assertThat(json.get("job").get("state").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aCancelledJobIsRefusedWithExit1AndTheReason() {
    Cli.Result submit =
        cli()
            .stdin("[{\"ms\": 1000}, {\"ms\": 1000}, {\"ms\": 1000}, {\"ms\": 1000}]")
            .run("submit", "sleep", "--inputs", "-", "--no-wait", "--quiet");
    String id = submit.out().strip();
    assertThat(cli().run("jobs", "cancel", id).code()).isZero();

    Cli.Result r = cli().run("jobs", "retry-failed", id);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("409 JOB_CANCELLED").contains("was cancelled");
  }
}
