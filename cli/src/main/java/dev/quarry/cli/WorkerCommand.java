package dev.quarry.cli;

import dev.quarry.worker.pull.PullWorkerMain;
import dev.quarry.worker.pull.PullWorkerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarry worker}: this machine joins a {@code standalone} profile as a pull worker (README
 * "Standalone workers"). Runs until SIGTERM (drains: finishes what it holds, exit 0) or until the
 * server refuses the token (exit 4).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run invocations of a standalone profile on this machine, as a pull worker: connects to"
            + " --server with a worker token, runs --slots invocations at once, reconnects when the"
            + " server restarts. SIGTERM drains (finishes what it holds, then exits 0).")
final class WorkerCommand extends Cmd {
  static final String TOKEN_ENV = PullWorkerMain.TOKEN_ENV;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding the worker token (`qw_...`). Default: $" + TOKEN_ENV + ".")
  @Nullable Path tokenFile;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "The worker token itself. Prefer --token-file or $"
              + TOKEN_ENV
              + ": a token on the command line shows in `ps`.")
  @Nullable String token;

  @Option(
      names = "--slots",
      paramLabel = "N",
      description = "Invocations run at once (1..1024). Default: the number of processors.")
  int slots = Runtime.getRuntime().availableProcessors();

  @Option(names = "--name", paramLabel = "NAME", description = "Shown in the server's logs.")
  @Nullable String name;

  @Option(
      names = "--drain-timeout",
      paramLabel = "SECONDS",
      description = "How long SIGTERM waits for running invocations. Default: 900.")
  int drainSeconds = 900;

  @Option(
      names = "--idle-exit",
      paramLabel = "SECONDS",
      description =
          "Drain and exit after this long with nothing to run (0 = never, at most 86400)."
              + " Default: 0.")
  int idleExitSeconds;

  @Override
  int run() throws Exception {
    String secret;
    if (tokenFile != null) {
      secret = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } else if (env().var(TOKEN_ENV) != null) {
      secret = env().var(TOKEN_ENV).strip();
    } else {
      secret = token == null ? "" : token.strip();
    }
    Settings s = settings();
    PullWorkerOptions options;
    try {
      options =
          new PullWorkerOptions(
              s.config().target(),
              secret,
              slots,
              name != null ? name : PullWorkerMain.defaultName(),
              s.config().tls(),
              Duration.ofSeconds(Math.max(0, drainSeconds)),
              Duration.ofSeconds(idleExitSeconds));
    } catch (IllegalArgumentException e) {
      err().println("quarry worker: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    err()
        .println(
            "quarry worker: serving " + s.target() + " with " + slots + " slots (SIGTERM drains)");
    err().flush();
    return PullWorkerMain.run(options);
  }
}
