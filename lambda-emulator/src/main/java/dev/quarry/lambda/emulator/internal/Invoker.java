package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.pool.InstancePool;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an invocation on one of a function's instances and accounts for it. */
final class Invoker {

  private static final Logger log = LoggerFactory.getLogger(Invoker.class);

  /** The answer to an invocation. */
  record Result(InvocationOutcome outcome, @Nullable String logTail) {}

  private final StatsRecorder stats;

  Invoker(StatsRecorder stats) {
    this.stats = stats;
  }

  /**
   * @param tail whether to return the invocation log's tail
   * @throws ApiException 5xx if no instance could be started, 404 if the function was deleted
   *     meanwhile
   */
  Result invoke(LambdaFunction fn, Invocation inv, boolean tail) throws InterruptedException {
    InstancePool.Lease<Instance> lease;
    try {
      lease = fn.pool().acquire();
    } catch (IOException e) {
      log.warn("cannot start an instance of {}: {}", fn.name(), e.toString());
      throw ApiException.service(500, "Could not start an instance: " + e.getMessage());
    } catch (InstancePool.ClosedException e) {
      throw ApiException.notFound("Function not found: " + fn.arn());
    }
    Instance instance = lease.instance();
    stats.invocations.invocation(lease.cold());
    RunResult r;
    try {
      r = instance.run(inv, lease.cold());
    } finally {
      fn.pool().release(instance);
    }
    InvocationOutcome outcome = r.outcome();
    if (outcome.isError()) {
      switch (outcome.kind()) {
        case TIMEOUT -> stats.invocations.timeout();
        case CRASH -> stats.invocations.crash();
        default -> stats.invocations.functionError();
      }
    }
    String logTail = null;
    if (tail || log.isDebugEnabled()) {
      String text =
          InvocationLog.render(inv.requestId, r, instance.deployment().config().memoryMb());
      if (log.isDebugEnabled()) {
        log.debug("{} on instance {}:\n{}", fn.name(), instance.id(), text.stripTrailing());
      }
      if (tail) {
        logTail = InvocationLog.tail(text);
      }
    }
    return new Result(outcome, logTail);
  }
}
