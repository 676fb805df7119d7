package dev.quarry.emulator.stats;

import java.util.concurrent.atomic.LongAdder;

/** An emulator's invocation counters: contention-free increments, consistent-enough snapshots. */
public final class InvocationCounters {

  private final LongAdder invocations = new LongAdder();
  private final LongAdder coldStarts = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder crashes = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder functionErrors = new LongAdder();
  private final LongAdder slowResponses = new LongAdder();
  private final LongAdder instancesStarted = new LongAdder();

  /** An invocation handed to an instance; {@code cold} if it waited for a new one. */
  public void invocation(boolean cold) {
    invocations.increment();
    if (cold) {
      coldStarts.increment();
    }
  }

  /** A call answered 429 (injected or over the concurrency limit). */
  public void throttled() {
    throttled.increment();
  }

  /** A call answered with an injected 5xx. */
  public void serverError() {
    serverErrors.increment();
  }

  /** An invocation whose instance exited while running it (also a function error). */
  public void crash() {
    crashes.increment();
    functionErrors.increment();
  }

  /** An invocation that ran past the function's timeout (also a function error). */
  public void timeout() {
    timeouts.increment();
    functionErrors.increment();
  }

  /** An invocation the handler or its initialisation failed. */
  public void functionError() {
    functionErrors.increment();
  }

  /** A response delayed by the {@code slowResponses} fault. */
  public void slowResponse() {
    slowResponses.increment();
  }

  /** An instance created (child JVM or in-process). */
  public void instanceStarted() {
    instancesStarted.increment();
  }

  /** The counters now. */
  public InvocationStats snapshot() {
    return new InvocationStats(
        invocations.sum(),
        coldStarts.sum(),
        throttled.sum(),
        serverErrors.sum(),
        crashes.sum(),
        timeouts.sum(),
        functionErrors.sum(),
        slowResponses.sum(),
        instancesStarted.sum());
  }
}
