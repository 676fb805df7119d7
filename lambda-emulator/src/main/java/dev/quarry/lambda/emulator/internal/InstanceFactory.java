package dev.quarry.lambda.emulator.internal;

import java.io.IOException;

/** Starts instances for a pool. */
interface InstanceFactory {

  /**
   * Starts an instance of {@code deployment}; it initialises in the background.
   *
   * @param onDeath to call once when the instance dies by itself (not when killed via the pool)
   * @throws IOException if it cannot be started
   */
  Instance start(Deployment deployment, java.util.function.Consumer<Instance> onDeath)
      throws IOException;
}
