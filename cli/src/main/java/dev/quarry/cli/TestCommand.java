package dev.quarry.cli;

import dev.quarry.client.FunctionSummary;
import dev.quarry.client.JobInfo;
import dev.quarry.client.JsonSubmitOptions;
import dev.quarry.client.QuarryJobs;
import dev.quarry.client.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quarry test}: the first command a new user runs. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Check the configuration and the connection, run a small map of the builtin"
          + " `echo` function on the default (or --profile) backend, print its results and the"
          + " round-trip time.",
      "Not the developers' `./quarry test`, which builds the repository and runs its test suite."
    })
final class TestCommand extends Cmd {
  @Option(
      names = "--inputs",
      defaultValue = "3",
      description = "Inputs in the map (1-100, default ${DEFAULT-VALUE}).")
  int inputs;

  @Override
  int run() {
    if (inputs < 1 || inputs > 100) {
      throw new IllegalArgumentException("--inputs must be between 1 and 100, got " + inputs);
    }
    Settings s = settings();
    boolean json = s.json();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("server", s.target());
    report.put("keySource", s.keySource());
    report.put("profile", s.profile());
    if (!json) {
      out().println("server   " + s.target() + "  (" + s.targetSource() + ")");
      out()
          .println(
              "key      "
                  + (s.config().apiKey() == null ? "none" : "set")
                  + "  ("
                  + s.keySource()
                  + ")");
      out()
          .println(
              "profile  "
                  + (s.profile() == null ? "server default" : s.profile())
                  + "  ("
                  + s.profileSource()
                  + ")");
    }
    try (QuarryJobs jobs = jobs()) {
      Instant t0 = env().clock().instant();
      List<FunctionSummary> functions = jobs.functions();
      long connectMs = Duration.between(t0, env().clock().instant()).toMillis();
      report.put("connectMs", connectMs);
      if (!json) {
        out()
            .println(
                "connect  ok, " + functions.size() + " functions visible, " + connectMs + " ms");
      }
      List<String> in = IntStream.range(0, inputs).mapToObj(i -> "\"hello " + i + "\"").toList();
      Instant t1 = env().clock().instant();
      JobInfo job =
          jobs.submitJson("echo", in, new JsonSubmitOptions(s.profile(), "quarry test", 0));
      List<TaskOutcome> results = new ArrayList<>();
      jobs.results(job.id(), true, results::add);
      long mapMs = Duration.between(t1, env().clock().instant()).toMillis();
      boolean ok = results.size() == inputs;
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        TaskOutcome r = results.get(i);
        ok &= r.state().equals("SUCCEEDED") && r.jsonResult().orElse("").equals(in.get(i));
        values.add(Views.outcome(r));
        if (!json) {
          out().println("result   " + r.index() + ": " + Output.clean(Views.resultText(r)));
        }
      }
      report.put("job", job.id());
      report.put("results", values);
      report.put("roundTripMs", mapMs);
      report.put("ok", ok);
      if (json) {
        out().println(Output.Json.PRETTY.writeValueAsString(report));
      } else {
        out()
            .println(
                "map      "
                    + (ok ? "ok" : "FAILED")
                    + ": "
                    + inputs
                    + " inputs of echo as job "
                    + job.id()
                    + ", round trip "
                    + mapMs
                    + " ms");
      }
      return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
