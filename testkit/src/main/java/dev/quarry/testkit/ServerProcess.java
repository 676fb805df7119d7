package dev.quarry.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Quarry server in a child JVM on this JVM's class path, as {@code ./quarry up} or a container
 * starts it. Its output goes to a log file; it is up once it logged {@code Quarry is up: REST <url>
 * gRPC <address>}, which {@link #awaitUp} waits for.
 *
 * <pre>{@code
 * try (ServerProcess server =
 *     ServerProcess.builder(QuarryServer.class, log).arg("--server.port=0").start()
 *         .awaitUp(Duration.ofMinutes(2))) {
 *   Http http = new Http(server.restUrl(), key);
 * }
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern UP = Pattern.compile("Quarry is up: REST (\\S+)\\s+gRPC (\\S+)");

  private final Process process;
  private final Path log;
  private String restUrl = "";
  private String grpcAddress = "";

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** A server whose main class is {@code mainClass}, logging to {@code log}. */
  public static Builder builder(Class<?> mainClass, Path log) {
    return new Builder(mainClass, log);
  }

  /** Options of a {@link ServerProcess}; {@link #start()} launches it. */
  public static final class Builder {
    private final Class<?> mainClass;
    private final Path log;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private @Nullable Path workDir;

    private Builder(Class<?> mainClass, Path log) {
      this.mainClass = mainClass;
      this.log = log;
    }

    /** JVM options, e.g. {@code -Duser.home=...} or {@code -Xmx512m}. */
    public Builder jvmArg(String... more) {
      Collections.addAll(jvmArgs, more);
      return this;
    }

    /** The server's command-line arguments. */
    public Builder arg(String... more) {
      Collections.addAll(args, more);
      return this;
    }

    /** An environment variable of the child, on top of this JVM's environment. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** The child's working directory (default: this JVM's). */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Launches the child JVM; {@link ServerProcess#awaitUp} waits until it serves. */
    public ServerProcess start() throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(mainClass.getName());
      command.addAll(args);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      pb.environment().putAll(env);
      return new ServerProcess(pb.start(), log);
    }
  }

  /**
   * Waits for "Quarry is up"; fails at once if the process exits first.
   *
   * @throws org.awaitility.core.ConditionTimeoutException if it is not up within {@code timeout}
   */
  public ServerProcess awaitUp(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "server exited with "
                        + process.exitValue()
                        + " before it was up:\n"
                        + output());
              }
              Matcher m = UP.matcher(output());
              if (m.find()) {
                restUrl = m.group(1);
                grpcAddress = m.group(2);
                return true;
              }
              return false;
            });
    return this;
  }

  /** The REST URL the server logged, once {@link #awaitUp} returned. */
  public String restUrl() {
    return restUrl;
  }

  /** The gRPC {@code host:port} the server logged, once {@link #awaitUp} returned. */
  public String grpcAddress() {
    return grpcAddress;
  }

  /** The child JVM's process id. */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** Everything the server printed so far. */
  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGKILL: no shutdown hook runs, as when the OOM killer or {@code kill -9} ends it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then SIGKILL if the server has not stopped within 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
