package dev.quarry.server.it;

import static org.awaitility.Awaitility.await;

import dev.quarry.server.QuarryServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Quarry server in a child JVM, started as {@code ./quarry up} starts it: no {@code
 * quarry.home}, no database URL (so the embedded PostgreSQL), {@code user.home} pointing at a
 * given folder. Its output goes to a log file; it is "up" once it printed {@code Quarry is up}.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern UP = Pattern.compile("Quarry is up: REST (\\S+)\\s+gRPC (\\S+)");

  private final Process process;
  private final Path log;
  private String restUrl = "";

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(Path userHome, Path workDir, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-Duser.home=" + userHome);
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(QuarryServer.class.getName());
    command.add("--server.port=0");
    command.add("--quarry.grpc.port=0");
    command.add("--management.server.port=0");
    command.add("--quarry.backend.pool-size=1");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    return new ServerProcess(p, log);
  }

  /** Waits for "Quarry is up"; fails at once if the process exits first. */
  ServerProcess awaitUp(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "server exited with " + process.exitValue() + " before it was up:\n" + output());
              }
              Matcher m = UP.matcher(output());
              if (m.find()) {
                restUrl = m.group(1);
                return true;
              }
              return false;
            });
    return this;
  }

  String restUrl() {
    return restUrl;
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGKILL: no shutdown hook runs, as when the OOM killer or {@code kill -9} ends it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }

  static Properties config(Path quarryHome) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(quarryHome.resolve("config"))) {
      p.load(r);
    }
    return p;
  }
}
