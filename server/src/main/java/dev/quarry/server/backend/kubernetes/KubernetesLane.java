package dev.quarry.server.backend.kubernetes;

import dev.quarry.backend.kubernetes.PodProblem;
import dev.quarry.backend.kubernetes.WorkerPods;
import dev.quarry.backend.kubernetes.WorkerPodsException;
import dev.quarry.backend.pull.PullPool;
import dev.quarry.server.backend.standalone.PoolLane;
import dev.quarry.server.jobs.TaskStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes profile's lane: invocations go to the profile's pull pool, whose workers are the
 * pods {@link #scale} keeps at the backlog's size. Closing the lane stops scaling it and leaves
 * running pods alone: they finish and end by idle exit, so a restarting replica never kills work.
 */
final class KubernetesLane implements PoolLane {
  private static final Logger log = LoggerFactory.getLogger(KubernetesLane.class);

  /** Scaling rounds between two checks of the pods' token (about a minute at the default). */
  static final int TOKEN_CHECK_ROUNDS = 30;

  private final String key;
  private final String tenant;
  private final String profile;
  private final PullPool pool;
  private final WorkerPods pods;
  private final KubernetesClient client;
  private final int slotsPerPod;
  private final int maxPods;
  private final TaskStore tasks;
  private final MeterRegistry meters;
  private final BiConsumer<String, KubernetesLane> onClose;
  private @Nullable String lastError;
  private int rounds;

  KubernetesLane(
      String key,
      String tenant,
      String profile,
      PullPool pool,
      WorkerPods pods,
      KubernetesClient client,
      int slotsPerPod,
      int maxPods,
      TaskStore tasks,
      MeterRegistry meters,
      BiConsumer<String, KubernetesLane> onClose) {
    this.key = key;
    this.tenant = tenant;
    this.profile = profile;
    this.pool = pool;
    this.pods = pods;
    this.client = client;
    this.slotsPerPod = slotsPerPod;
    this.maxPods = maxPods;
    this.tasks = tasks;
    this.meters = meters;
    this.onClose = onClose;
  }

  @Override
  public String type() {
    return KubernetesBackendPlugin.KIND;
  }

  @Override
  public PullPool pool() {
    return pool;
  }

  /** Scales the pods to the backlog and reports their problems; never throws. */
  void scale() {
    try {
      if (++rounds % TOKEN_CHECK_ROUNDS == 0) {
        pods.refreshToken(); // a revoked token is replaced; pods holding it exit and are replaced
      }
      int open = tasks.openTasks(tenant, profile, maxPods * slotsPerPod);
      int desired = (open + slotsPerPod - 1) / slotsPerPod;
      pods.scaleTo(desired);
      lastError = null;
      for (PodProblem p : pods.problems()) {
        meters.counter("quarry.kubernetes.pod.problems", "kind", p.kind().name()).increment();
        log.warn("Kubernetes lane {}: {}", key, p.message());
        tasks.setProfileMessage(tenant, profile, "kubernetes: " + p.message());
      }
    } catch (WorkerPodsException e) {
      if (!Objects.equals(lastError, e.getMessage())) {
        lastError = e.getMessage();
        log.warn("Kubernetes lane {}: {}", key, e.getMessage());
        tasks.setProfileMessage(tenant, profile, "kubernetes: " + e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("Kubernetes lane {}: scaling failed", key, e);
    }
  }

  /** Pods Pending or Running at the last scaling round. */
  int activePods() {
    return pods.activePods();
  }

  @Override
  public void close() {
    onClose.accept(key, this);
    client.close();
  }
}
