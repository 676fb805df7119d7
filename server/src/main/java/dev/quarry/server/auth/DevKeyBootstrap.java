package dev.quarry.server.auth;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * At start, makes sure {@code quarry.home/config} holds a working API key for the default tenant
 * and the addresses of this server, so the client and the curl examples need no setup. Existing
 * valid keys are kept; the file is readable by its owner only.
 */
@Component
public class DevKeyBootstrap {
  private static final Logger log = LoggerFactory.getLogger(DevKeyBootstrap.class);

  private final QuarryProperties props;
  private final ApiKeyService keys;
  private final GrpcServerLifecycle grpc;
  private final Environment env;

  public DevKeyBootstrap(
      QuarryProperties props, ApiKeyService keys, GrpcServerLifecycle grpc, Environment env) {
    this.props = props;
    this.keys = keys;
    this.grpc = grpc;
    this.env = env;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void writeConfig() {
    String host = props.bindAddress().equals("0.0.0.0") ? "localhost" : props.bindAddress();
    String rest = "http://" + host + ":" + env.getProperty("local.server.port", "8080");
    String grpcAddress = host + ":" + grpc.port();
    if (props.devKey()) {
      writeDevKey(rest, grpcAddress);
    }
    log.info("Quarry is up: REST {}  gRPC {}", rest, grpcAddress);
  }

  private void writeDevKey(String rest, String grpcAddress) {
    Path file = props.home().resolve("config");
    Properties config = read(file);
    String key = config.getProperty("api_key", "");
    if (key.isEmpty() || !keys.isValid(key)) {
      key = keys.create("default", "dev", Role.ADMIN).secret();
      log.info("Created a dev API key (admin of tenant 'default'); it is in {}", file);
    }
    config.setProperty("api_key", key);
    config.setProperty("grpc_address", grpcAddress);
    config.setProperty("rest_url", rest);
    write(file, config);
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (var in = Files.newBufferedReader(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    return p;
  }

  private static void write(Path file, Properties config) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      try (Writer w = Files.newBufferedWriter(tmp)) {
        config.store(w, "Quarry client configuration (written by the server)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
