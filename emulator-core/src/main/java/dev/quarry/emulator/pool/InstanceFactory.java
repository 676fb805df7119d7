package dev.quarry.emulator.pool;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Starts instances for an {@link InstancePool}.
 *
 * @param <D> what instances run
 * @param <I> the instances
 */
@FunctionalInterface
public interface InstanceFactory<D, I extends PooledInstance<D>> {

  /**
   * Starts an instance of {@code deployment}; it initialises in the background.
   *
   * @param onDeath to call once when the instance dies by itself (not when killed via the pool)
   * @throws IOException if it cannot be started
   */
  I start(D deployment, Consumer<? super I> onDeath) throws IOException;
}
