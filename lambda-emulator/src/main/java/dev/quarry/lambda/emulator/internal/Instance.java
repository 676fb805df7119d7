package dev.quarry.lambda.emulator.internal;

import java.util.concurrent.CompletableFuture;

/** An execution environment running one invocation at a time: a child JVM or in-process. */
interface Instance {

  String id();

  Deployment deployment();

  /** False once it died, failed to initialise, or was killed; such instances are discarded. */
  boolean isAlive();

  /**
   * Runs {@code invocation} to its outcome, enforcing the function's timeout (the instance is
   * killed on timeout). Never throws for function failures: they are outcomes.
   *
   * @param cold whether this is the instance's first invocation
   * @throws InterruptedException if the calling thread is interrupted (emulator shutting down)
   */
  RunResult run(Invocation invocation, boolean cold) throws InterruptedException;

  /** Stops the instance at once (for a child JVM: destroys it forcibly). Idempotent. */
  void kill();

  /** Completes once the instance is gone (for a child JVM: its process exited). */
  CompletableFuture<?> terminated();
}
