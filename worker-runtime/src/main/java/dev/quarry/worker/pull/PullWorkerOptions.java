package dev.quarry.worker.pull;

import java.time.Duration;

/**
 * What a pull worker needs: where the server is, its token, how many invocations it runs at once.
 *
 * @param target the server's gRPC address, {@code host:port}
 * @param token the worker token ({@code qw_...}); never logged
 * @param slots invocations run at once, at least 1
 * @param name free text the server logs (host and pid by default)
 * @param tls whether to use TLS (a server behind a TLS-terminating proxy)
 * @param drainTimeout how long a draining worker waits for what it holds before it exits anyway
 * @param idleExit a worker that has run nothing for this long drains and exits (a Kubernetes pod
 *     ends so); zero to serve until stopped
 */
public record PullWorkerOptions(
    String target,
    String token,
    int slots,
    String name,
    boolean tls,
    Duration drainTimeout,
    Duration idleExit) {
  public PullWorkerOptions(
      String target, String token, int slots, String name, boolean tls, Duration drainTimeout) {
    this(target, token, slots, name, tls, drainTimeout, Duration.ZERO);
  }

  public PullWorkerOptions {
    if (idleExit.isNegative() || idleExit.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("--idle-exit must be between 0 and 1 day");
    }
    if (target.isBlank()) {
      throw new IllegalArgumentException("--server host:port is required");
    }
    if (token.isBlank()) {
      throw new IllegalArgumentException(
          "a worker token is required: --token-file FILE, QUARRY_WORKER_TOKEN or --token");
    }
    if (slots < 1 || slots > 1024) {
      throw new IllegalArgumentException("--slots must be between 1 and 1024, got " + slots);
    }
    if (name.length() > 128) {
      name = name.substring(0, 128);
    }
  }

  @Override
  public String toString() {
    // the token stays out of logs
    return "PullWorkerOptions[target=" + target + ", slots=" + slots + ", name=" + name + "]";
  }
}
