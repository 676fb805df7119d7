package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when something is wrong, and the exit code a script sees. */
class CliErrorsTest {
  static CliServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.get();
  }

  @Test
  void noServerRunningIsExplainedWithExitCode3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Result r = new Cli(home).env("QUARRY_ADDRESS", "127.0.0.1:" + port).run("jobs", "list");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("cannot connect to the Quarry server at 127.0.0.1:" + port)
        .contains("$QUARRY_ADDRESS")
        .contains("Is a server running there?");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badKeyIsExplainedAs401WithExitCode4AndNeverPrinted() {
    String badKey = "qk_wrongwrong_0123456789abcdefghij";
    Cli.Result r =
        new Cli(home).env("QUARRY_ADDRESS", server.target()).run("--key", badKey, "jobs", "list");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(r.err()).contains("401").contains("rejected the API key").contains("--key");
    assertThat(r.out() + r.err()).doesNotContain(badKey);
  }

  @Test
  void missingKeySaysWhereItLooked() {
    Cli.Result r = new Cli(home).env("QUARRY_ADDRESS", server.target()).run("jobs", "list");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(r.err())
        .contains("401")
        .contains("$QUARRY_API_KEY")
        .contains(home.resolve(".quarry").resolve("config").toString());
  }

  @Test
  void unknownJobIsExplainedAs404WithExitCode5() {
    Cli cli = Cli.forServer(server, home);
    for (String cmd : new String[] {"get", "watch", "cancel", "retry-failed", "results"}) {
      Cli.Result r = cli.run("jobs", cmd, "00000000-0000-0000-0000-000000000000");
      assertThat(r.code()).as(cmd + ": " + r).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(r.err())
          .as(cmd)
          .contains("not found (404)")
          .contains("00000000-0000-0000-0000-000000000000");
    }
    Cli.Result malformed = cli.run("jobs", "get", "not-a-job-id");
    assertThat(malformed.code()).as(malformed.toString()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void usageErrorsExitWith2() {
    Cli cli = Cli.forServer(server, home);
    assertThat(cli.run("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
    Cli.Result badOutput = cli.run("--output", "yaml", "jobs", "list");
    assertThat(badOutput.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badOutput.err()).contains("output must be 'table' or 'json'");
    assertThat(cli.run("jobs", "list", "--limit", "0").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("submit", "echo").err()).contains("--inputs");
    Cli.Result missingConfig = cli.run("--config", home.resolve("nope").toString(), "jobs", "list");
    assertThat(missingConfig.code()).as(missingConfig.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingConfig.err()).contains("does not exist");
    Cli.Result noProfile = cli.run("runtimes", "list");
    assertThat(noProfile.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noProfile.err()).contains("--profile");
  }
}
