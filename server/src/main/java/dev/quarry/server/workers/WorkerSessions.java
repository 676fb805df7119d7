package dev.quarry.server.workers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The worker connections of this replica, by token: a revoked token's connections are cut off at
 * once here, and every {@code quarry.workers.token-recheck} the tokens of all connections are
 * checked again (revocations on other replicas, disabled tenants).
 */
@Component
public class WorkerSessions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerSessions.class);

  /** A connection that can be cut off. */
  public interface Connection {
    /** Ends the connection with PERMISSION_DENIED; its invocations are retried elsewhere. */
    void revoke(String reason);
  }

  private final Map<UUID, Set<Connection>> byToken = new ConcurrentHashMap<>();
  private final ScheduledExecutorService recheck =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("quarry-worker-tokens").factory());

  WorkerSessions(WorkerProperties props, WorkerTokenRepository tokens) {
    long every = props.tokenRecheck().toMillis();
    recheck.scheduleWithFixedDelay(
        () -> recheck(ids -> Set.copyOf(tokens.findUsableIds(ids))),
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /** Tracks a connection of {@code token} until {@link #remove}. */
  public void add(UUID token, Connection connection) {
    byToken.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(connection);
  }

  public void remove(UUID token, Connection connection) {
    byToken.computeIfPresent(
        token,
        (t, set) -> {
          set.remove(connection);
          return set.isEmpty() ? null : set;
        });
  }

  /** How many workers are connected with {@code token}. */
  public int connected(UUID token) {
    Set<Connection> set = byToken.get(token);
    return set == null ? 0 : set.size();
  }

  /** Cuts off every connection of {@code token}. */
  public void revoke(UUID token, String reason) {
    Set<Connection> set = byToken.remove(token);
    if (set != null) {
      for (Connection c : new ArrayList<>(set)) {
        c.revoke(reason);
      }
    }
  }

  void recheck(Function<Set<UUID>, Set<UUID>> usable) {
    try {
      Set<UUID> connected = Set.copyOf(byToken.keySet());
      if (connected.isEmpty()) {
        return;
      }
      Set<UUID> still = usable.apply(connected);
      List<UUID> gone = connected.stream().filter(t -> !still.contains(t)).toList();
      for (UUID t : gone) {
        log.info("Worker token {} is no longer usable; cutting its workers off", t);
        revoke(t, "worker token revoked");
      }
    } catch (RuntimeException e) {
      log.warn("Could not recheck worker tokens: {}", e.toString());
    }
  }

  @Override
  public void close() {
    recheck.shutdownNow();
  }
}
