package dev.quarry.backend.kubernetes;

import dev.quarry.backend.internal.kubernetes.JobWorkerPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** Opens {@link WorkerPods}. */
public final class KubernetesPools {
  private KubernetesPools() {}

  /**
   * Opens the pool of one tenant's profile and writes its worker token to a Secret.
   *
   * @param client a client for the cluster and credentials the profile names
   * @param token the worker token the pods authenticate with (kept in a Secret, never in the pod
   *     spec)
   * @throws WorkerPodsException when the API server refuses the Secret
   */
  public static WorkerPods open(
      KubernetesClient client, WorkerPodOptions options, String token, Clock clock) {
    return new JobWorkerPods(client, options, token, clock);
  }
}
