package dev.quarry.server.supervision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Runs the server's loops (dispatcher, outcome recorder, LISTEN connection) and periodic tasks
 * (lease reaper) so that nothing they throw, {@link Error}s included, ends them for good: a loop
 * that throws is restarted after a backoff (doubling from {@link #INITIAL_BACKOFF} to {@link
 * #MAX_BACKOFF}), each restart counts in {@code quarry.loop.restarts{loop=…}}, and the health
 * component {@code loops} is DOWN while any loop has failed {@link #DOWN_AFTER} times in a row or
 * its thread is gone.
 */
@Component("loops")
public class LoopSupervisor implements HealthIndicator {
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** A run this long without throwing counts as healthy again. */
  static final Duration HEALTHY_RUN = Duration.ofSeconds(60);

  static final int DOWN_AFTER = 5;

  private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

  private final Clock clock;
  private final ObjectProvider<MeterRegistry> meters;
  private final Duration initialBackoff;
  private final Map<String, LoopState> loops = new ConcurrentHashMap<>();

  @org.springframework.beans.factory.annotation.Autowired
  public LoopSupervisor(Clock clock, ObjectProvider<MeterRegistry> meters) {
    this(clock, meters, INITIAL_BACKOFF);
  }

  LoopSupervisor(Clock clock, ObjectProvider<MeterRegistry> meters, Duration initialBackoff) {
    this.clock = clock;
    this.meters = meters;
    this.initialBackoff = initialBackoff;
  }

  /** A loop's body: runs until {@code running} turns false; may throw anything. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Starts {@code body} on a daemon platform thread named {@code name}, restarting it whenever it
   * throws while {@code running} is true.
   */
  public Thread start(String name, BooleanSupplier running, Body body) {
    LoopState state = state(name);
    Thread thread =
        Thread.ofPlatform().name(name).daemon().unstarted(() -> supervise(state, running, body));
    state.thread = thread;
    thread.start();
    return thread;
  }

  /** Runs one round of a periodic task, recording its failure instead of throwing. */
  public void runTask(String name, Body body) {
    LoopState state = state(name);
    try {
      body.run();
      state.succeeded();
    } catch (Throwable t) {
      failed(state, t);
    }
  }

  private void supervise(LoopState state, BooleanSupplier running, Body body) {
    long backoff = initialBackoff.toMillis();
    while (running.getAsBoolean()) {
      Instant started = clock.instant();
      try {
        body.run();
        if (!running.getAsBoolean()) {
          return;
        }
        throw new IllegalStateException("loop ended while the server is running");
      } catch (InterruptedException e) {
        if (!running.getAsBoolean()) {
          return;
        }
        failed(state, e);
      } catch (Throwable t) {
        if (!running.getAsBoolean()) {
          return;
        }
        if (Duration.between(started, clock.instant()).compareTo(HEALTHY_RUN) >= 0) {
          state.succeeded();
          backoff = initialBackoff.toMillis();
        }
        failed(state, t);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        if (!running.getAsBoolean()) {
          return;
        }
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      state.restarts++;
      counter(state.name).increment();
      log.warn("Restarting loop {} (restart {})", state.name, state.restarts);
    }
  }

  private void failed(LoopState state, Throwable t) {
    state.consecutiveFailures++;
    state.lastError = t.getClass().getName() + ": " + t.getMessage();
    state.lastFailure = clock.instant();
    log.error("Loop {} failed ({} in a row)", state.name, state.consecutiveFailures, t);
  }

  private Counter counter(String name) {
    MeterRegistry registry = meters.getIfAvailable();
    return registry == null
        ? Counter.builder("quarry.loop.restarts")
            .register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
        : Counter.builder("quarry.loop.restarts")
            .tag("loop", name)
            .description("Restarts of a server loop after it threw")
            .register(registry);
  }

  private LoopState state(String name) {
    return loops.computeIfAbsent(name, LoopState::new);
  }

  /** Records a round of a loop that failed but kept the loop running (counts toward DOWN). */
  public void roundFailed(String name, Throwable t) {
    failed(state(name), t);
  }

  /** Records a round of a loop that worked. */
  public void roundSucceeded(String name) {
    LoopState s = loops.get(name);
    if (s != null && s.consecutiveFailures != 0) {
      s.succeeded();
    }
  }

  /** Restarts of {@code loop} so far. */
  public long restarts(String loop) {
    LoopState s = loops.get(loop);
    return s == null ? 0 : s.restarts;
  }

  @Override
  public Health health() {
    boolean up = true;
    Map<String, Object> details = new TreeMap<>();
    for (LoopState s : loops.values()) {
      Thread t = s.thread;
      boolean threadGone = t != null && !t.isAlive() && s.expectAlive;
      boolean down = threadGone || s.consecutiveFailures >= DOWN_AFTER;
      up &= !down;
      Map<String, Object> d = new TreeMap<>();
      d.put("status", down ? "DOWN" : "UP");
      d.put("restarts", s.restarts);
      d.put("consecutiveFailures", s.consecutiveFailures);
      if (s.lastError != null) {
        d.put(
            "lastError", s.lastError.length() > 200 ? s.lastError.substring(0, 200) : s.lastError);
        d.put("lastFailure", String.valueOf(s.lastFailure));
      }
      details.put(s.name, d);
    }
    return (up ? Health.up() : Health.down()).withDetails(details).build();
  }

  /** Marks a loop as stopped on purpose (server shutdown): its ended thread is not a fault. */
  public void stopped(String name) {
    state(name).expectAlive = false;
  }

  private static final class LoopState {
    final String name;
    volatile int restarts;
    volatile int consecutiveFailures;
    volatile @Nullable String lastError;
    volatile @Nullable Instant lastFailure;
    volatile @Nullable Thread thread;
    volatile boolean expectAlive = true;

    LoopState(String name) {
      this.name = name;
    }

    void succeeded() {
      consecutiveFailures = 0;
    }
  }
}
