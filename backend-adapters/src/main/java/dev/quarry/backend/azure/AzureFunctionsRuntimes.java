package dev.quarry.backend.azure;

import dev.quarry.backend.WorkerRuntime;
import java.util.List;

/**
 * Deployments of the worker as function apps in one subscription and resource group, named {@code
 * quarry-worker-<version>-<memory>[-<tenant tag>]} as on Lambda.
 *
 * <p>Failures are thrown as {@link dev.quarry.backend.BackendException}: {@code PERMANENT} for a
 * rejected credential, a missing resource group or storage account, access denied; {@code
 * TRANSIENT} for throttling and outages.
 */
public interface AzureFunctionsRuntimes {

  /** The worker apps this backend knows of (those it deployed or found), by name. */
  List<WorkerRuntime> list();

  /**
   * Makes sure the app for this server's worker version and the options' memory exists, runs this
   * worker package and answers with its function key. Idempotent: a second call changes nothing and
   * reports {@code unchanged}.
   */
  WorkerRuntime deploy();

  /**
   * Pushes this server's worker package and settings to the existing app {@code name}.
   *
   * @throws dev.quarry.backend.RuntimeNotFoundException (PERMANENT) if there is no such app
   */
  WorkerRuntime update(String name);

  /**
   * Deletes the worker app {@code name}.
   *
   * @throws dev.quarry.backend.RuntimeNotFoundException (PERMANENT) if there is no such app
   * @throws IllegalArgumentException if {@code name} is not a worker app's name
   */
  WorkerRuntime delete(String name);
}
