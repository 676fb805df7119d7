package dev.quarry.azure.emulator.internal;

import dev.quarry.azure.emulator.child.Frames;
import dev.quarry.emulator.pool.PooledInstance;
import org.jspecify.annotations.Nullable;

/** An instance of one function serving one invocation at a time: a child JVM or in-process. */
interface FunctionInstance extends PooledInstance<Deployment> {

  /** How an invocation on the instance ended. */
  enum Kind {
    ANSWERED,
    CRASHED,
    TIMED_OUT
  }

  /** What the instance answered; {@code response} is null unless ANSWERED. */
  record Result(
      Kind kind, Frames.@Nullable Message response, long durationNanos, long maxMemoryMb) {}

  /**
   * Sends {@code request} and waits for the answer up to {@code timeoutSeconds}; a timed-out
   * instance is killed, as the host recycles a worker that overran.
   *
   * @param crash kill the instance once the request is sent (injected fault)
   */
  Result run(Frames.Message request, int timeoutSeconds, boolean crash) throws InterruptedException;
}
