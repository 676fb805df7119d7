package dev.quarry.backend.lambda;

import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import java.util.List;

/**
 * Deployments of the worker in one AWS account and region. Every call waits (with the SDK's
 * waiters, not sleeps) until Lambda reports the function ready.
 *
 * <p>Failures are thrown as {@link dev.quarry.backend.BackendException}: {@code PERMANENT} for a
 * missing function, bad settings or access denied; {@code TRANSIENT} for throttling and outages.
 */
public interface LambdaRuntimes {

  /** The worker functions in the account ({@code quarry-worker-*}), by name. */
  List<WorkerRuntime> list();

  /**
   * Makes sure the function for {@code spec} and this server's worker version exists, is active and
   * runs this worker package, creating it with {@code spec}'s configuration when missing.
   * Idempotent: a second call changes nothing and reports {@code unchanged}. An existing function
   * keeps its configuration (profiles sharing it may differ); {@link #update} changes it.
   */
  WorkerRuntime deploy(RuntimeSpec spec);

  /**
   * Pushes this server's worker package and {@code spec}'s configuration to the existing function
   * {@code name}.
   *
   * @throws RuntimeNotFoundException (PERMANENT) if there is no such function
   */
  WorkerRuntime update(String name, RuntimeSpec spec);

  /**
   * Deletes the worker function {@code name}.
   *
   * @throws RuntimeNotFoundException (PERMANENT) if there is no such function
   * @throws IllegalArgumentException if {@code name} is not a worker function's name
   */
  WorkerRuntime delete(String name);
}
