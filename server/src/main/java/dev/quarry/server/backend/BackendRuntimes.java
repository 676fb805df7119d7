package dev.quarry.server.backend;

import dev.quarry.backend.WorkerRuntime;
import java.util.List;

/**
 * The worker deployments of one lane (for Lambda: the worker functions in the profile's account),
 * bound to the lane's profile settings. Every call waits until the platform reports the change
 * done.
 *
 * <p>Failures: {@link dev.quarry.server.api.ApiException} NOT_FOUND for a missing deployment;
 * {@link dev.quarry.backend.BackendException} PERMANENT for bad settings or access denied,
 * TRANSIENT for throttling and outages; {@link IllegalArgumentException} for a name that cannot be
 * a worker deployment.
 */
public interface BackendRuntimes {

  /** The worker deployments visible through the lane. */
  List<WorkerRuntime> list();

  /** Deploys (idempotently) the worker the lane runs on. */
  WorkerRuntime deploy();

  /** Pushes this server's worker and the lane's configuration to the deployment {@code name}. */
  WorkerRuntime update(String name);

  /** Deletes the deployment {@code name}. */
  WorkerRuntime delete(String name);
}
