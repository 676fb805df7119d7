package dev.quarry.cli;

import dev.quarry.client.QuarryException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code quarry}: the user's command-line tool. Run {@code quarry --help}; {@link ExitCodes} lists
 * the exit codes.
 */
@Command(
    name = "quarry",
    mixinStandardHelpOptions = true,
    versionProvider = QuarryCli.Version.class,
    description = "Run and watch Quarry jobs, manage functions, runtimes and team settings.",
    footer = {
      "",
      "Configuration: flags win over QUARRY_* variables, which win over",
      "~/.quarry/config (`quarry config show` says where each value came from).",
      "",
      ExitCodes.HELP
    },
    subcommands = {
      TestCommand.class,
      JobsCommand.class,
      SubmitCommand.class,
      FunctionsCommand.class,
      RuntimesCommand.class,
      KeysCommand.class,
      KeysCommand.Audit.class,
      CredentialsCommand.class,
      ProfilesCommand.class,
      TenantsCommand.class,
      TenantsCommand.Limits.class,
      ConfigCommand.class,
      NotAvailable.Logs.class,
      StorageCommand.class,
      AutoComplete.GenerateCompletion.class,
    })
public final class QuarryCli implements Callable<Integer> {
  @Mixin final GlobalOptions global = new GlobalOptions();

  private final Env env;
  private @Nullable Settings settings;

  QuarryCli(Env env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(Env.system(), args));
  }

  /** Runs one command line; returns its exit code. Never calls {@code System.exit}. */
  public static int run(Env env, String... args) {
    QuarryCli cli = new QuarryCli(env);
    CommandLine cmd = new CommandLine(cli);
    cmd.setOut(env.out());
    cmd.setErr(env.err());
    cmd.setExecutionExceptionHandler((e, line, parsed) -> cli.failed(e));
    cmd.setParameterExceptionHandler(
        (e, args2) -> {
          env.err().println("quarry: " + e.getMessage());
          env.err()
              .println(
                  "  Try `" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help`.");
          return ExitCodes.USAGE;
        });
    int code = cmd.execute(args);
    env.out().flush();
    env.err().flush();
    return code;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(env.out());
    return ExitCodes.USAGE;
  }

  Env env() {
    return env;
  }

  /** The settings, resolved once per run. */
  Settings settings() {
    if (settings == null) {
      settings = Settings.resolve(global, env);
    }
    return settings;
  }

  private int failed(Exception e) {
    if (e instanceof QuarryException q) {
      if (settings == null) {
        // the config itself could not be read (an explicitly named file is missing)
        env.err().println("quarry: " + q.description());
        return ExitCodes.USAGE;
      }
      env.err().println("quarry: " + ExitCodes.explain(q, settings));
      return ExitCodes.of(q);
    }
    if (e instanceof IllegalArgumentException) {
      env.err().println("quarry: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof CommandFailed f) {
      env.err().println("quarry: " + f.getMessage());
      return f.code();
    }
    if (e instanceof InterruptedException) {
      env.err().println("quarry: interrupted");
      return ExitCodes.INTERRUPTED;
    }
    env.err().println("quarry: unexpected error: " + e);
    return ExitCodes.FAILED;
  }

  /** A command's own failure with the exit code it should end with. */
  static final class CommandFailed extends RuntimeException {
    private final int code;

    CommandFailed(int code, String message) {
      super(message);
      this.code = code;
    }

    int code() {
      return code;
    }
  }

  /** The version of this jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = QuarryCli.class.getPackage().getImplementationVersion();
      return new String[] {"quarry " + (v == null ? "development build" : v)};
    }
  }
}
