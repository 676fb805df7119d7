package dev.quarry.lambda.emulator.internal;

import dev.quarry.lambda.emulator.Faults;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** {@link Faults} for Invoke; the checks cost a few volatile reads while no fault is set. */
final class FaultInjector implements Faults {

  private final Random random;
  private final StatsRecorder stats;
  private final AtomicInteger throttleBurst = new AtomicInteger();
  private volatile double throttleRate;
  private volatile double serverErrorRate;
  private volatile double slowRate;
  private volatile long slowDelayMillis;
  private volatile double crashRate;
  private volatile boolean unavailable;

  FaultInjector(long seed, StatsRecorder stats) {
    this.random = new Random(seed);
    this.stats = stats;
  }

  @Override
  public Faults throttleRate(double rate) {
    this.throttleRate = checkRate(rate);
    return this;
  }

  @Override
  public Faults throttleBurst(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("throttleBurst must be >= 0, was " + count);
    }
    throttleBurst.set(count);
    return this;
  }

  @Override
  public Faults serverErrorRate(double rate) {
    this.serverErrorRate = checkRate(rate);
    return this;
  }

  @Override
  public Faults slowResponses(double rate, Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    this.slowDelayMillis = delay.toMillis();
    this.slowRate = checkRate(rate);
    return this;
  }

  @Override
  public Faults crashRate(double rate) {
    this.crashRate = checkRate(rate);
    return this;
  }

  @Override
  public Faults unavailable(boolean unavailable) {
    this.unavailable = unavailable;
    return this;
  }

  @Override
  public Faults reset() {
    throttleBurst.set(0);
    throttleRate = 0;
    serverErrorRate = 0;
    slowRate = 0;
    slowDelayMillis = 0;
    crashRate = 0;
    unavailable = false;
    return this;
  }

  /** The injected error to answer this invoke with, before running it; null for none. */
  @Nullable ApiException beforeInvoke() {
    if (unavailable) {
      stats.serverErrors.increment();
      return ApiException.service(503, "Service unavailable (injected fault).");
    }
    if (throttleBurst.get() > 0 && throttleBurst.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      stats.throttled.increment();
      return ApiException.tooManyRequests("CallerRateLimitExceeded");
    }
    if (hit(throttleRate)) {
      stats.throttled.increment();
      return ApiException.tooManyRequests("CallerRateLimitExceeded");
    }
    if (hit(serverErrorRate)) {
      stats.serverErrors.increment();
      return ApiException.service(500, "Internal failure (injected fault).");
    }
    return null;
  }

  /** Whether to kill the instance running this invocation. */
  boolean crashThisInvocation() {
    return hit(crashRate);
  }

  /** How long to delay this response, 0 for no delay. */
  long responseDelayMillis() {
    long delay = slowDelayMillis;
    if (delay > 0 && hit(slowRate)) {
      stats.slowResponses.increment();
      return delay;
    }
    return 0;
  }

  private boolean hit(double rate) {
    return rate > 0 && (rate >= 1 || random.nextDouble() < rate);
  }

  private static double checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be within [0, 1], was " + rate);
    }
    return rate;
  }
}
