package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.pool.PooledInstance;
import java.util.concurrent.CompletableFuture;

/** An execution environment running one invocation at a time: a child JVM or in-process. */
abstract class Instance implements PooledInstance<Deployment> {
  private final String id = RequestIds.hex(12);
  private final Deployment deployment;

  Instance(Deployment deployment) {
    this.deployment = deployment;
  }

  final String id() {
    return id;
  }

  @Override
  public final Deployment deployment() {
    return deployment;
  }

  /** False once it died, failed to initialise, or was killed; such instances are discarded. */
  @Override
  public abstract boolean isAlive();

  /**
   * Runs {@code invocation} to its outcome, enforcing the function's timeout (the instance is
   * killed on timeout). Never throws for function failures: they are outcomes.
   *
   * @param cold whether this is the instance's first invocation
   * @throws InterruptedException if the calling thread is interrupted (emulator shutting down)
   */
  abstract RunResult run(Invocation invocation, boolean cold) throws InterruptedException;

  /** Stops the instance at once (for a child JVM: destroys it forcibly). Idempotent. */
  @Override
  public abstract void kill();

  /** Completes once the instance is gone (for a child JVM: its process exited). */
  abstract CompletableFuture<?> terminated();
}
