package dev.quarry.emulator.pool;

/**
 * An execution environment running one invocation at a time, as an {@link InstancePool} sees it.
 *
 * @param <D> what it runs
 */
public interface PooledInstance<D> {

  /** What it runs; compared by identity with the pool's current deployment. */
  D deployment();

  /** False once it died, failed to initialise, or was killed; such instances are discarded. */
  boolean isAlive();

  /** Stops the instance at once (for a child JVM: destroys it forcibly). Idempotent. */
  void kill();
}
