package dev.quarry.backend.kubernetes;

import dev.quarry.backend.internal.kubernetes.JobWorkerPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Opens {@link WorkerPods}. */
public final class KubernetesPools {
  private KubernetesPools() {}

  /**
   * Opens the pool of one tenant's profile and writes its worker token to a Secret.
   *
   * @param client a client for the cluster and credentials the profile names
   * @param token given the worker token the pool's Secret holds (null when there is none), the
   *     token the pods shall use: the same one while it is valid, so that several replicas and
   *     restarts share one token; it is kept in a Secret, never in the pod spec
   * @throws WorkerPodsException when the API server refuses the Secret
   */
  public static WorkerPods open(
      KubernetesClient client,
      WorkerPodOptions options,
      UnaryOperator<@Nullable String> token,
      Clock clock) {
    return new JobWorkerPods(client, options, token, clock);
  }
}
