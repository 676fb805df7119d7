package dev.quarry.emulator.faults;

import dev.quarry.emulator.stats.InvocationCounters;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Faults} as an emulator's invoke path asks them; the checks cost a few volatile reads while
 * no fault is set. Injected faults are counted in the given {@link InvocationCounters}.
 */
public final class FaultInjector implements Faults {

  /** What to answer an invoke with before running it. */
  public enum Fault {
    NONE,
    /** {@code unavailable}: 503. */
    UNAVAILABLE,
    /** {@code throttleBurst} or {@code throttleRate}: 429. */
    THROTTLED,
    /** {@code serverErrorRate}: 500. */
    SERVER_ERROR
  }

  private final Random random;
  private final InvocationCounters stats;
  private final AtomicInteger throttleBurst = new AtomicInteger();
  private volatile double throttleRate;
  private volatile double serverErrorRate;
  private volatile double slowRate;
  private volatile long slowDelayMillis;
  private volatile double crashRate;
  private volatile boolean unavailable;

  public FaultInjector(long seed, InvocationCounters stats) {
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

  /** The injected error to answer this invoke with, before running it, counted. */
  public Fault beforeInvoke() {
    if (unavailable) {
      stats.serverError();
      return Fault.UNAVAILABLE;
    }
    if (throttleBurst.get() > 0 && throttleBurst.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      stats.throttled();
      return Fault.THROTTLED;
    }
    if (hit(throttleRate)) {
      stats.throttled();
      return Fault.THROTTLED;
    }
    if (hit(serverErrorRate)) {
      stats.serverError();
      return Fault.SERVER_ERROR;
    }
    return Fault.NONE;
  }

  /** Whether to kill the instance running this invocation. */
  public boolean crashThisInvocation() {
    return hit(crashRate);
  }

  /** How long to delay this response, 0 for no delay. */
  public long responseDelayMillis() {
    long delay = slowDelayMillis;
    if (delay > 0 && hit(slowRate)) {
      stats.slowResponse();
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
