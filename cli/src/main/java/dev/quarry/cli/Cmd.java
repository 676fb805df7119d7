package dev.quarry.cli;

import dev.quarry.client.QuarryJobs;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands: the run's environment, settings, output, and a client. */
@Command
abstract class Cmd implements Callable<Integer> {
  @Spec CommandSpec spec;

  QuarryCli cli() {
    return (QuarryCli) spec.root().userObject();
  }

  Env env() {
    return cli().env();
  }

  Settings settings() {
    return cli().settings();
  }

  PrintWriter out() {
    return env().out();
  }

  PrintWriter err() {
    return env().err();
  }

  Output output() {
    return new Output(out(), settings().json());
  }

  QuarryJobs jobs() {
    Settings s = settings();
    return QuarryJobs.connect(s.config(), s.options());
  }

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;
}
