package dev.quarry.testkit;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code config} file a Quarry server writes into its home at start: the dev API key (admin of
 * tenant {@code default}) and the server's addresses, as the Java client reads them.
 *
 * @param apiKey the dev API key ({@code api_key})
 * @param grpcAddress {@code host:port} of the gRPC API ({@code grpc_address})
 * @param restUrl {@code http://host:port} of the REST API ({@code rest_url})
 */
public record DevConfig(String apiKey, String grpcAddress, String restUrl) {

  /** The file inside a server's home. */
  public static Path file(Path home) {
    return home.resolve("config");
  }

  /**
   * Reads {@code home/config}.
   *
   * @throws IOException if the file cannot be read (the server has not written it yet)
   */
  public static DevConfig read(Path home) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file(home))) {
      p.load(r);
    }
    return new DevConfig(
        p.getProperty("api_key", ""),
        p.getProperty("grpc_address", ""),
        p.getProperty("rest_url", ""));
  }

  /** The port of {@link #grpcAddress()}. */
  public int grpcPort() {
    return Integer.parseInt(grpcAddress.substring(grpcAddress.lastIndexOf(':') + 1));
  }
}
