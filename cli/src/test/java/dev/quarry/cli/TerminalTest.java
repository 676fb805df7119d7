package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code quarry jobs watch} as a separate process: on a pseudo-terminal ({@code script} from
 * util-linux) the progress bar renders and ends cleanly; on pipes the output has no control
 * characters.
 */
class TerminalTest {
  static CliServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.get();
  }

  @Test
  void progressBarRendersOnATerminalAndEndsCleanly() throws Exception {
    String id = submitSleeps();
    String command = String.join(" ", quoted(cliCommand("jobs", "watch", id)));
    Run r = run(List.of("script", "-q", "-e", "-f", "-c", command, "/dev/null"));
    assertThat(r.code).as(r.output).isZero();
    // the terminal turns each \n into \r\n; the bar's own redraws are lone \r
    String output = r.output.replace("\r\n", "\n");
    String shortId = id.substring(0, 8);
    assertThat(output)
        .as(output)
        .contains("job " + shortId)
        .contains("%")
        .contains("futures")
        .contains("pending")
        .contains("\r");
    // the bar's last frame shows every future done, then the summary line ends the output
    String summary = "job " + id + " SUCCEEDED: 10 succeeded, 0 failed, 0 cancelled of 10";
    assertThat(output).contains(summary);
    String afterSummary = output.substring(output.lastIndexOf(summary) + summary.length());
    assertThat(afterSummary.strip()).as("nothing drawn after the summary").isEmpty();
    String beforeSummary = output.substring(0, output.lastIndexOf(summary)).stripTrailing();
    String lastFrame = beforeSummary.substring(beforeSummary.lastIndexOf('\r') + 1);
    assertThat(lastFrame).contains("100%").contains("10/10");
  }

  @Test
  void pipedOutputHasNoControlCharacters() throws Exception {
    String id = submitSleeps();
    Run r = run(cliCommand("jobs", "watch", id));
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output).contains("job " + id + " SUCCEEDED");
    assertThat(r.output.chars().filter(c -> c < 32 && c != '\n')).as(r.output).isEmpty();
  }

  private String submitSleeps() {
    Cli.Result r =
        Cli.forServer(server, home)
            .stdin("[" + String.join(",", java.util.Collections.nCopies(10, "{\"ms\": 300}")) + "]")
            .run("submit", "sleep", "--inputs", "-", "--no-wait", "-o", "json");
    assertThat(r.code()).as(r.toString()).isZero();
    return JsonMapper.builder().build().readTree(r.out()).get("id").asString();
  }

  private static List<String> cliCommand(String... args) {
    List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command().orElseThrow());
    c.add("--enable-native-access=ALL-UNNAMED");
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(QuarryCli.class.getName());
    c.addAll(List.of(args));
    return c;
  }

  private static List<String> quoted(List<String> args) {
    return args.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList();
  }

  private record Run(int code, String output) {}

  private Run run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("QUARRY_ADDRESS", server.target());
    pb.environment().put("QUARRY_API_KEY", server.apiKey);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("TERM", "xterm");
    pb.environment().put("COLUMNS", "120");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(text).as("a secret was printed").doesNotContain(server.apiKey);
    return new Run(p.exitValue(), text);
  }
}
