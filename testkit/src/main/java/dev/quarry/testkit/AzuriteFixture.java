package dev.quarry.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite's blob service (npm package {@code azurite} {@value #VERSION}) in a child process on a
 * free port of 127.0.0.1, in memory, telemetry off. Each fixture has its own empty account.
 *
 * <p>Azurite is installed with npm into {@code ~/.cache/quarry/azurite-}{@value #VERSION} (or the
 * directory named by the system property or environment variable {@code QUARRY_AZURITE_DIR}) the
 * first time it is missing; {@code .ci/run} installs it beforehand. Node 20 prints an engine
 * warning for this version, which is harmless.
 *
 * <pre>{@code
 * try (AzuriteFixture azurite = AzuriteFixture.start()) {
 *   ObjectStore store = ObjectStores.open("azure-blob", azurite.storeSettings("my-container"));
 * }
 * }</pre>
 */
public final class AzuriteFixture implements AutoCloseable {
  public static final String VERSION = "3.37.0";

  /** Azurite's well-known development account; its key is public, not a secret. */
  public static final String ACCOUNT = "devstoreaccount1";

  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern LISTENING =
      Pattern.compile("listens on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;

  private AzuriteFixture(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Installs Azurite if missing, starts its blob service and returns once it listens.
   *
   * @throws IOException if npm or node cannot run
   * @throws IllegalStateException if the install fails or Azurite does not start in 60 s
   */
  public static AzuriteFixture start() throws IOException, InterruptedException {
    Path main = install();
    Path work = Files.createTempDirectory("quarry-azurite");
    Process process =
        new ProcessBuilder(
                "node",
                main.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                "0",
                // longer than the JDK HTTP client's 30 s idle timeout, so the client always closes
                // an idle connection first and never sends on one the server is closing
                "--blobKeepAliveTimeout",
                "120",
                "--inMemoryPersistence",
                "--extentMemoryLimit",
                "1024",
                "--disableTelemetry",
                "--silent")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    AtomicReference<Integer> port = new AtomicReference<>();
    ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> readOutput(process, port, output), "azurite-output");
    reader.setDaemon(true);
    reader.start();
    try {
      await()
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> port.get() != null || !process.isAlive());
    } catch (RuntimeException e) {
      stop(process);
      throw new IllegalStateException("Azurite did not start in time: " + output, e);
    }
    if (port.get() == null) {
      stop(process);
      throw new IllegalStateException("Azurite exited: " + output);
    }
    return new AzuriteFixture(process, port.get());
  }

  /** The blob service URL of the development account: {@code http://127.0.0.1:<port>/<account>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /**
   * Settings of Quarry's {@code azure-blob} object store for {@code container} on this Azurite,
   * creating it at open; a new mutable map, so callers can add settings.
   */
  public Map<String, String> storeSettings(String container) {
    return new HashMap<>(
        Map.of(
            "endpoint", endpoint(),
            "account", ACCOUNT,
            "accountKey", ACCOUNT_KEY,
            "container", container,
            "createContainer", "true"));
  }

  /** The server's command-line arguments that put its storage on {@code container} here. */
  public List<String> serverArgs(String container) {
    return List.of(
        "--quarry.storage.type=azure-blob",
        "--quarry.storage.settings.endpoint=" + endpoint(),
        "--quarry.storage.settings.account=" + ACCOUNT,
        "--quarry.storage.settings.accountKey=" + ACCOUNT_KEY,
        "--quarry.storage.settings.container=" + container,
        "--quarry.storage.settings.createContainer=true");
  }

  @Override
  public void close() {
    stop(process);
  }

  /** The directory Azurite is installed in (see the class comment). */
  public static Path installDir() {
    String dir = System.getProperty("QUARRY_AZURITE_DIR", System.getenv("QUARRY_AZURITE_DIR"));
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "quarry", "azurite-" + VERSION);
  }

  /** Installs Azurite with npm unless present; one installer at a time (a file lock). */
  private static Path install() throws IOException, InterruptedException {
    Path dir = installDir();
    Path main = dir.resolve("node_modules/azurite/dist/src/blob/main.js");
    if (Files.isRegularFile(main)) {
      return main;
    }
    Files.createDirectories(dir);
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      if (Files.isRegularFile(main)) {
        return main;
      }
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--prefix",
                  dir.toString(),
                  "--no-audit",
                  "--no-fund",
                  "--save-exact",
                  "--loglevel=error",
                  "azurite@" + VERSION)
              .redirectErrorStream(true)
              .start();
      String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          || npm.exitValue() != 0
          || !Files.isRegularFile(main)) {
        npm.destroyForcibly();
        throw new IllegalStateException("npm install azurite@" + VERSION + " failed: " + log);
      }
      return main;
    }
  }

  private static void readOutput(
      Process process, AtomicReference<Integer> port, ConcurrentLinkedQueue<String> output) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (output.size() < 50) {
          output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.set(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      if (process.isAlive()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
