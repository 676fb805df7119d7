package dev.quarry.cli;

import dev.quarry.client.QuarryException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

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
    })
public final class QuarryCli implements Callable<Integer> {
  /**
   * The top-level commands by name. A run whose command line names one builds only that command's
   * model (picocli reads every command's annotations by reflection, a tenth of a second for all of
   * them); help, completion and a bare {@code quarry} get all of them.
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  @Mixin final GlobalOptions global = new GlobalOptions();
  @Spec CommandSpec spec;

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
    String named = commandName(cmd.getCommandSpec(), args);
    COMMANDS.forEach(
        (name, command) -> {
          if (named == null || named.equals(name)) {
            cmd.addSubcommand(name, command);
          }
        });
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

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> c = new LinkedHashMap<>();
    c.put("test", TestCommand.class);
    c.put("jobs", JobsCommand.class);
    c.put("submit", SubmitCommand.class);
    c.put("functions", FunctionsCommand.class);
    c.put("runtimes", RuntimesCommand.class);
    c.put("keys", KeysCommand.class);
    c.put("audit", KeysCommand.Audit.class);
    c.put("credentials", CredentialsCommand.class);
    c.put("profiles", ProfilesCommand.class);
    c.put("tenants", TenantsCommand.class);
    c.put("limits", TenantsCommand.Limits.class);
    c.put("config", ConfigCommand.class);
    c.put("logs", LogsCommand.class);
    c.put("stats", StatsCommand.class);
    c.put("storage", StorageCommand.class);
    c.put("worker", WorkerCommand.class);
    c.put("generate-completion", AutoComplete.GenerateCompletion.class);
    return Collections.unmodifiableMap(c);
  }

  /**
   * The top-level command the arguments name, skipping the global options and their values; null
   * when they name none, or name the completion generator (which needs every command).
   */
  static @Nullable String commandName(CommandSpec root, String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (a.startsWith("-")) {
        OptionSpec option = a.contains("=") ? null : root.findOption(a);
        if (option != null && option.arity().max() > 0) {
          i++;
        }
        continue;
      }
      return COMMANDS.containsKey(a) && !a.equals("generate-completion") ? a : null;
    }
    return null;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(env.out());
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
