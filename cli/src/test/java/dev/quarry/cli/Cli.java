package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code quarry} in the test JVM with its own environment, home folder and captured output,
 * and checks what every run must hold: no secret is ever printed.
 */
final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();
  private String stdin = "";

  Cli(Path home) {
    props.put("user.home", home.toString());
  }

  /** A CLI configured for the test server through its environment variables. */
  static Cli forServer(CliServer server, Path home) {
    return new Cli(home)
        .env("QUARRY_ADDRESS", server.target())
        .env("QUARRY_API_KEY", server.apiKey);
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Cli stdin(String text) {
    stdin = text;
    return this;
  }

  Result run(String... args) {
    return run(new StringWriter(), args);
  }

  /** Runs with {@code err} as stderr, so another thread can watch what it prints. */
  Result run(StringWriter err, String... args) {
    StringWriter out = new StringWriter();
    Env e =
        new Env(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            Map.copyOf(env),
            props::get,
            false,
            Clock.systemUTC());
    int code = QuarryCli.run(e, args);
    Result r = new Result(code, out.toString(), err.toString());
    for (String secret : secrets()) {
      assertThat(r.out() + r.err()).as("a secret was printed").doesNotContain(secret);
    }
    return r;
  }

  private java.util.List<String> secrets() {
    return env.entrySet().stream()
        .filter(x -> x.getKey().contains("KEY"))
        .map(Map.Entry::getValue)
        .toList();
  }

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
