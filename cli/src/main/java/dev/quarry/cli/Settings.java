package dev.quarry.cli;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.internal.ClientConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings a command runs with: server, key and profile resolved by the Java client's own
 * {@link ClientConfig} (flags, then {@code QUARRY_*} variables, then the config file), plus the
 * output format (flag, then {@code $QUARRY_OUTPUT}, then {@code output} is {@code table}).
 */
record Settings(ClientConfig config, ClientOptions options, String output, String outputSource) {
  static final String ENV_OUTPUT = "QUARRY_OUTPUT";

  /**
   * @throws IllegalArgumentException for a malformed flag or variable (a usage error)
   */
  static Settings resolve(GlobalOptions flags, Env env) {
    ClientOptions.Builder b = ClientOptions.builder();
    b.apiKey(flags.key);
    b.profile(flags.profile);
    if (flags.configFile != null) {
      b.configFile(flags.configFile);
    }
    ClientOptions options = b.build();
    ClientConfig config = ClientConfig.resolve(flags.server, options, env::var, env.props());
    String output = "table";
    String outputSource = "default";
    if (flags.output != null) {
      output = flags.output;
      outputSource = "--output";
    } else if (env.var(ENV_OUTPUT) != null) {
      output = env.var(ENV_OUTPUT);
      outputSource = "$" + ENV_OUTPUT;
    }
    if (!output.equals("table") && !output.equals("json")) {
      throw new IllegalArgumentException(
          "output must be 'table' or 'json', got '" + output + "' (from " + outputSource + ")");
    }
    // validates a profile that came from the environment or the config file
    ClientOptions resolved = options.toBuilder().profile(config.profile()).build();
    return new Settings(config, resolved, output, outputSource);
  }

  boolean json() {
    return output.equals("json");
  }

  String target() {
    return (config.tls() ? "https://" : "") + config.target();
  }

  String targetSource() {
    return flag(config.targetSource(), "explicit target", "--server");
  }

  String keySource() {
    return flag(config.keySource(), "ClientOptions.apiKey", "--key");
  }

  @Nullable String profile() {
    return config.profile();
  }

  String profileSource() {
    return flag(config.profileSource(), "ClientOptions.profile", "--profile");
  }

  Path configFile() {
    return config.configFile();
  }

  /** Every setting with its value (secrets masked) and where it came from. */
  Map<String, String[]> describe() {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put(
        "config file",
        new String[] {
          configFile().toString(), configFile().toFile().isFile() ? "exists" : "does not exist"
        });
    m.put("server", new String[] {target(), targetSource()});
    m.put(
        "key",
        new String[] {config.apiKey() == null ? "(none)" : mask(config.apiKey()), keySource()});
    m.put(
        "profile",
        new String[] {profile() == null ? "(server default)" : profile(), profileSource()});
    m.put("output", new String[] {output, outputSource});
    return m;
  }

  /** Never more than a hint: the key's length class, no characters of it. */
  static String mask(String secret) {
    return "******** (set, " + secret.length() + " characters)";
  }

  private static String flag(String source, String clientName, String flagName) {
    return source.equals(clientName) ? flagName : source;
  }
}
