package dev.quarry.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after its name. */
final class GlobalOptions {
  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description =
          "gRPC address of the server (https://host:port for TLS). "
              + "Default: $QUARRY_ADDRESS, else grpc_address in the config file, else localhost:9090.")
  @Nullable String server;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      scope = ScopeType.INHERIT,
      description =
          "API key. Default: $QUARRY_API_KEY, else api_key in the config file. "
              + "Prefer those: a key on the command line shows in `ps` and shell history.")
  @Nullable String key;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description =
          "Backend profile jobs run on. Default: $QUARRY_PROFILE, else profile in the "
              + "config file, else the server's default backend.")
  @Nullable String profile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "table|json",
      scope = ScopeType.INHERIT,
      description = "Output format of data. Default: $QUARRY_OUTPUT, else table.")
  @Nullable String output;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Config file. Default: $QUARRY_CONFIG, else ~/.quarry/config.")
  @Nullable Path configFile;
}
