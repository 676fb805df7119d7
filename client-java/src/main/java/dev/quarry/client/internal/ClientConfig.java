package dev.quarry.client.internal;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.QuarryException;
import io.grpc.Status;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where to connect and with which API key, resolved from (first match wins) the explicit target and
 * {@link ClientOptions}, the environment ({@code QUARRY_ADDRESS}, {@code QUARRY_API_KEY}), then the
 * config file: {@link ClientOptions#configFile()}, else {@code $QUARRY_CONFIG}, else {@code
 * -Dquarry.config}, else {@code ~/.quarry/config}. The config file is a properties file with {@code
 * api_key} and {@code grpc_address} (written by the server at first start).
 *
 * @param target the gRPC target, e.g. {@code localhost:9090} (scheme removed)
 * @param tls whether to use TLS
 * @param apiKey the API key, null if none was found
 * @param keySource where the key came from (or where it was looked for), for error messages
 * @param targetSource where the target came from ({@code default} when nowhere)
 * @param profile the backend profile: {@link ClientOptions#profile()}, else {@code
 *     $QUARRY_PROFILE}, else the {@code profile} entry of the config file; null for the server's
 *     default backend
 * @param profileSource where the profile came from ({@code default} when nowhere)
 * @param configFile the config file that was (or would have been) read
 */
public record ClientConfig(
    String target,
    boolean tls,
    @Nullable String apiKey,
    String keySource,
    String targetSource,
    @Nullable String profile,
    String profileSource,
    Path configFile) {
  /** A config with a known target and key (tests). */
  public ClientConfig(String target, boolean tls, @Nullable String apiKey, String keySource) {
    this(target, tls, apiKey, keySource, "explicit", null, "default", Path.of("config"));
  }

  /** Used when no target is configured anywhere. */
  public static final String DEFAULT_TARGET = "localhost:9090";

  static final String ENV_API_KEY = "QUARRY_API_KEY";
  static final String ENV_ADDRESS = "QUARRY_ADDRESS";
  static final String ENV_CONFIG = "QUARRY_CONFIG";
  static final String ENV_PROFILE = "QUARRY_PROFILE";
  static final String PROP_CONFIG = "quarry.config";

  /**
   * Resolves from the real environment and system properties.
   *
   * @throws IllegalArgumentException if {@code target} is blank
   * @throws QuarryException FAILED_PRECONDITION if an explicitly named config file is missing or
   *     unreadable
   */
  public static ClientConfig resolve(@Nullable String target, ClientOptions options) {
    return resolve(target, options, System::getenv, System::getProperty);
  }

  /**
   * Resolves from the given environment and system properties (for tests and command-line tools
   * that read their environment through an indirection).
   *
   * @throws IllegalArgumentException if {@code target} is blank
   * @throws QuarryException FAILED_PRECONDITION if an explicitly named config file is missing or
   *     unreadable
   */
  public static ClientConfig resolve(
      @Nullable String target,
      ClientOptions options,
      Function<String, @Nullable String> env,
      Function<String, @Nullable String> props) {
    if (target != null && target.isBlank()) {
      throw new IllegalArgumentException("target must not be blank (e.g. \"localhost:9090\")");
    }
    ConfigFile file = ConfigFile.locate(options, env, props);
    String key = options.apiKey().orElse(null);
    String keySource = "ClientOptions.apiKey";
    if (key == null && notBlank(env.apply(ENV_API_KEY))) {
      key = env.apply(ENV_API_KEY).trim();
      keySource = "$" + ENV_API_KEY;
    }
    String address = target;
    String targetSource = "explicit target";
    if (address == null && notBlank(env.apply(ENV_ADDRESS))) {
      address = env.apply(ENV_ADDRESS).trim();
      targetSource = "$" + ENV_ADDRESS;
    }
    String profile = options.profile().orElse(null);
    String profileSource = "ClientOptions.profile";
    if (profile == null && notBlank(env.apply(ENV_PROFILE))) {
      profile = env.apply(ENV_PROFILE).trim();
      profileSource = "$" + ENV_PROFILE;
    }
    if (key == null || address == null || profile == null) {
      Properties p = file.load();
      if (key == null && notBlank(p.getProperty("api_key"))) {
        key = p.getProperty("api_key").trim();
        keySource = "config file " + file.path();
      }
      if (address == null && notBlank(p.getProperty("grpc_address"))) {
        address = p.getProperty("grpc_address").trim();
        targetSource = "config file " + file.path();
      }
      if (profile == null && notBlank(p.getProperty("profile"))) {
        profile = p.getProperty("profile").trim();
        profileSource = "config file " + file.path();
      }
    }
    if (address == null) {
      targetSource = "default";
    }
    if (profile == null) {
      profileSource = "default";
    }
    if (key == null) {
      keySource =
          "none found (looked in ClientOptions.apiKey, $"
              + ENV_API_KEY
              + " and "
              + file.path()
              + (file.exists() ? "" : ", which does not exist")
              + ")";
    }
    boolean tls = options.useTls();
    String t = address == null ? DEFAULT_TARGET : address;
    if (t.startsWith("https://")) {
      tls = true;
      t = t.substring("https://".length());
    } else if (t.startsWith("http://")) {
      t = t.substring("http://".length());
    }
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return new ClientConfig(
        t, tls, key, keySource, targetSource, profile, profileSource, file.path());
  }

  private static boolean notBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  @Override
  public String toString() {
    return "ClientConfig[target="
        + target
        + ", tls="
        + tls
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", keySource="
        + keySource
        + ", targetSource="
        + targetSource
        + ", profile="
        + profile
        + ", profileSource="
        + profileSource
        + ", configFile="
        + configFile
        + "]";
  }

  private record ConfigFile(Path path, @Nullable String explicitSource) {
    static ConfigFile locate(
        ClientOptions options,
        Function<String, @Nullable String> env,
        Function<String, @Nullable String> props) {
      if (options.configFile().isPresent()) {
        return new ConfigFile(options.configFile().get(), "ClientOptions.configFile");
      }
      if (notBlank(env.apply(ENV_CONFIG))) {
        return new ConfigFile(Path.of(env.apply(ENV_CONFIG).trim()), "$" + ENV_CONFIG);
      }
      if (notBlank(props.apply(PROP_CONFIG))) {
        return new ConfigFile(Path.of(props.apply(PROP_CONFIG).trim()), "-D" + PROP_CONFIG);
      }
      String home = props.apply("user.home");
      return new ConfigFile(Path.of(home == null ? "." : home, ".quarry", "config"), null);
    }

    boolean exists() {
      return Files.isRegularFile(path);
    }

    Properties load() {
      Properties p = new Properties();
      if (!exists()) {
        if (explicitSource != null) {
          throw new QuarryException(
              Status.Code.FAILED_PRECONDITION,
              "config file " + path + " (from " + explicitSource + ") does not exist");
        }
        return p;
      }
      try (Reader r = Files.newBufferedReader(path)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new QuarryException(
            Status.Code.FAILED_PRECONDITION,
            "cannot read config file " + path + ": " + e.getMessage(),
            false,
            e);
      }
      return p;
    }
  }
}
