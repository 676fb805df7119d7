package dev.quarry.worker.pull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -cp ... dev.quarry.worker.pull.PullWorkerMain --server host:port --token-file FILE
 * --slots N [--name NAME] [--tls] [--drain-timeout SECONDS] [--idle-exit SECONDS]}. The token comes
 * from {@code --token-file}, else the environment variable {@value #TOKEN_ENV}, else {@code
 * --token} (visible in {@code ps}; for tests). SIGTERM drains: the worker finishes what it holds
 * (up to the drain timeout), then exits 0; so does a worker idle for {@code --idle-exit}. Exits 4
 * when the server refuses the token (the CLI's AUTH status), 2 on bad arguments.
 */
public final class PullWorkerMain {
  /** Environment variable holding the worker token. */
  public static final String TOKEN_ENV = "QUARRY_WORKER_TOKEN";

  private PullWorkerMain() {}

  public static void main(String[] args) throws Exception {
    PullWorkerOptions options;
    try {
      options = parse(args, System.getenv(TOKEN_ENV));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("quarry worker: " + e.getMessage());
      System.err.println(
          "usage: quarry worker --server host:port (--token-file FILE | --token TOKEN) --slots N"
              + " [--name NAME] [--tls] [--drain-timeout SECONDS] [--idle-exit SECONDS]");
      System.exit(2);
      return;
    }
    System.exit(run(options));
  }

  /** Runs a worker until it is drained (SIGTERM) or refused; returns the exit status. */
  public static int run(PullWorkerOptions options) throws InterruptedException {
    PullWorker worker = new PullWorker(options);
    Thread hook =
        new Thread(
            () -> {
              try {
                worker.drain();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              // drained: exit 0 rather than the 143 of a JVM ended by SIGTERM
              Runtime.getRuntime().halt(0);
            },
            "quarry-drain");
    Runtime.getRuntime().addShutdownHook(hook);
    int status = worker.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down already: the hook drained
    }
    return status;
  }

  /**
   * @throws IllegalArgumentException for a missing or bad argument
   * @throws IOException if the token file cannot be read
   */
  public static PullWorkerOptions parse(String[] args, @Nullable String tokenFromEnv)
      throws IOException {
    String server = "";
    String token = "";
    String tokenFile = "";
    int slots = Runtime.getRuntime().availableProcessors();
    String name = defaultName();
    boolean tls = false;
    Duration drain = Duration.ofMinutes(15);
    Duration idleExit = Duration.ZERO;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--server" -> server = value(args, ++i, a);
        case "--token" -> token = value(args, ++i, a);
        case "--token-file" -> tokenFile = value(args, ++i, a);
        case "--slots" -> slots = integer(value(args, ++i, a), a);
        case "--name" -> name = value(args, ++i, a);
        case "--tls" -> tls = true;
        case "--drain-timeout" -> drain = Duration.ofSeconds(integer(value(args, ++i, a), a));
        case "--idle-exit" -> idleExit = Duration.ofSeconds(seconds(value(args, ++i, a), a));
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    if (!tokenFile.isEmpty()) {
      token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
    } else if (token.isEmpty() && tokenFromEnv != null) {
      token = tokenFromEnv.strip();
    }
    return new PullWorkerOptions(server, token, slots, name, tls, drain, idleExit);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  /** Whole seconds, written {@code 30} or {@code 30s}. */
  private static int seconds(String s, String flag) {
    return integer(s.endsWith("s") ? s.substring(0, s.length() - 1) : s, flag);
  }

  private static int integer(String s, String flag) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, got '" + s + "'");
    }
  }

  /** The host name and process id. */
  public static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    return host + "/" + ProcessHandle.current().pid();
  }
}
