package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.testfns.Chatty;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code quarry logs JOB INDEX} and {@code quarry stats JOB [INDEX]} against a real server. */
class CliLogsTest extends OnServer {

  @Test
  void printsWhatAFuturePrintedAndExits5ForAnUnknownJobOrIndex() throws Exception {
    Path jar = TestJars.of(Chatty.class, home.resolve("chatty.jar"));
    Cli.Result reg =
        cli()
            .run(
                "functions",
                "register",
                "cli-chatty",
                "--entry",
                Chatty.class.getName(),
                "--jar",
                jar.toString());
    assertThat(reg.code()).as(reg.toString()).isZero();
    Cli.Result submit =
        cli()
            .stdin("[\"a\", \"b\"]")
            .run("submit", "cli-chatty", "--inputs", "-", "--no-wait", "--quiet");
    assertThat(submit.code()).as(submit.toString()).isZero();
    String id = submit.out().strip();
    Cli.Result watch = cli().run("jobs", "watch", id);
    assertThat(watch.code()).as(watch.toString()).isZero();

    Cli.Result second = cli().run("logs", id, "1");
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out()).isEqualTo("out b\nerr b\n");
    Cli.Result json = cli().run("logs", id, "0", "-o", "json");
    assertThat(json.code()).as(json.toString()).isZero();
    JsonNode view = CliCommandsTest.JSON.readTree(json.out());
    assertThat(view.get("index").asInt()).isZero();
    assertThat(view.get("log").asString()).isEqualTo("out a\nerr a\n");

    Cli.Result outOfRange = cli().run("logs", id, "2");
    assertThat(outOfRange.code()).as(outOfRange.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result unknown = cli().run("logs", "00000000-0000-4000-8000-000000000000", "0");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("not found (404)").contains("job '00000000-");

    Cli.Result summary = cli().run("stats", id);
    assertThat(summary.code()).as(summary.toString()).isZero();
    assertThat(summary.out()).contains("futures").contains("SUCCEEDED").contains("no cost model");
    Cli.Result future = cli().run("stats", id, "1", "-o", "json");
    assertThat(future.code()).as(future.toString()).isZero();
    JsonNode stats = CliCommandsTest.JSON.readTree(future.out());
    assertThat(stats.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(stats.get("bytesRead").asLong()).isEqualTo(3); // "b"
    Cli.Result missingFuture = cli().run("stats", id, "2");
    assertThat(missingFuture.code()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
