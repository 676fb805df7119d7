package dev.quarry.backend.kubernetes;

import java.util.List;

/**
 * The worker pods of one pool (one tenant's profile of kind {@code kubernetes}), scaled to the
 * backlog the server sees. The pods run {@code quarry worker} and pull invocations from the server
 * like any standalone worker; this interface only decides how many run and reports what goes wrong
 * with them. Scaling down never kills a pod: a worker with nothing to do exits after the pool's
 * idle timeout, and its pod ends.
 *
 * <pre>{@code
 * try (WorkerPods pods = KubernetesPools.open(client, options, token, clock)) {
 *   pods.scaleTo(backlogPods);           // called on every dispatcher round
 *   for (PodProblem p : pods.problems()) // new problems since the last call
 *     report(p.message());
 * }
 * }</pre>
 */
public interface WorkerPods extends AutoCloseable {

  /**
   * Brings the pool towards {@code desired} pods (clamped to 0..maxPods): raises the parallelism of
   * the pool's Kubernetes Job, or starts a new Job when the last one is winding down. Finished Jobs
   * older than the pool's TTL are deleted.
   *
   * @throws WorkerPodsException when the API server refuses or cannot be reached
   */
  void scaleTo(int desired);

  /**
   * Asks the token function again with the token the Secret holds, and writes a new one if it
   * answers so (the old one was revoked).
   *
   * @throws WorkerPodsException when the API server refuses or cannot be reached
   */
  void refreshToken();

  /** Pods of the pool that are Pending or Running, as of the last {@link #scaleTo}. */
  int activePods();

  /** Problems seen since the last call (each pod's problem once), oldest first. */
  List<PodProblem> problems();

  /** Deletes the pool's Jobs, pods and token Secret. */
  @Override
  void close();
}
