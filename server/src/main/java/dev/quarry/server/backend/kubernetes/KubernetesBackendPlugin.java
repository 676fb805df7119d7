package dev.quarry.server.backend.kubernetes;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.kubernetes.KubernetesPools;
import dev.quarry.backend.kubernetes.WorkerPodOptions;
import dev.quarry.backend.kubernetes.WorkerPods;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.BackendPlugin;
import dev.quarry.server.backend.CredentialRule;
import dev.quarry.server.backend.LaneRequest;
import dev.quarry.server.backend.OpenedLane;
import dev.quarry.server.backend.standalone.StandaloneBackendPlugin;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.workers.WorkerTokenService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Backend kind {@code kubernetes}: a profile's lane is the pull pool of that profile (the same pool
 * standalone workers join) whose workers are pods in the cluster the profile's {@code kubernetes}
 * credential names. Every {@code quarry.kubernetes.scale-interval} each open lane's pods are scaled
 * to its backlog ({@link KubernetesLane#scale}); what goes wrong with pods is written on the
 * profile's running jobs. The pods authenticate with a worker token the server issues for the
 * profile and keeps in a Secret.
 */
@Component
public class KubernetesBackendPlugin implements BackendPlugin, AutoCloseable {
  public static final String KIND = "kubernetes";
  private static final Logger log = LoggerFactory.getLogger(KubernetesBackendPlugin.class);

  private final StandaloneBackendPlugin pools;
  // lazily: worker tokens check profiles, which check plug-ins
  private final ObjectProvider<WorkerTokenService> tokens;
  private final CredentialService credentials;
  private final TaskStore tasks;
  private final KubernetesProperties props;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Map<String, KubernetesLane> lanes = new ConcurrentHashMap<>();
  private @Nullable ScheduledExecutorService scaler;

  public KubernetesBackendPlugin(
      StandaloneBackendPlugin pools,
      ObjectProvider<WorkerTokenService> tokens,
      CredentialService credentials,
      TaskStore tasks,
      KubernetesProperties props,
      MeterRegistry meters,
      Clock clock) {
    this.pools = pools;
    this.tokens = tokens;
    this.credentials = credentials;
    this.tasks = tasks;
    this.props = props;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Set<String> settingNames() {
    return KubernetesSettings.NAMES;
  }

  @Override
  public void validate(Map<String, String> settings) {
    new KubernetesSettings(settings)
        .options("tenant", "profile", "server.invalid:9090", props.finishedTtl());
  }

  /** Pull pools serve their workers' storage calls from the server's store only. */
  @Override
  public boolean supportsProfileBucket() {
    return false;
  }

  @Override
  public CredentialRule credentials() {
    return CredentialRule.required("kubernetes");
  }

  @Override
  public Optional<String> unavailable() {
    return props.serverAddress().isEmpty()
        ? Optional.of(
            "the Kubernetes backend needs quarry.kubernetes.server-address: this server's gRPC"
                + " address as pods reach it")
        : Optional.empty();
  }

  @Override
  public OpenedLane open(LaneRequest request) {
    requireAvailable();
    if (request.isDefault() || request.credential() == null) {
      throw new BackendException(
          Kind.PERMANENT, "backend kubernetes needs a profile with a kubernetes credential");
    }
    WorkerPodOptions options;
    try {
      options =
          new KubernetesSettings(request.settings())
              .options(
                  request.tenant(), request.profile(), props.serverAddress(), props.finishedTtl());
    } catch (ApiException e) {
      throw new BackendException(Kind.PERMANENT, e.getMessage(), e);
    }
    Map<String, String> secret =
        credentials.openForServer(
            request.tenant(), request.credential(), "kubernetes profile " + request.profile());
    KubernetesClient client =
        KubernetesClients.open(secret, options.namespace(), props.allowInsecureApiServer());
    WorkerPods pods;
    try {
      pods =
          KubernetesPools.open(
              client,
              options,
              current -> tokens.getObject().podToken(request.tenant(), request.profile(), current),
              clock);
    } catch (RuntimeException e) {
      client.close();
      throw new BackendException(Kind.TRANSIENT, e.getMessage(), e);
    }
    KubernetesLane lane =
        new KubernetesLane(
            request.key(),
            request.tenant(),
            request.profile(),
            pools.pool(request.tenant(), request.profile()),
            pods,
            client,
            options.slotsPerPod(),
            options.maxPods(),
            tasks,
            meters,
            lanes::remove);
    lanes.put(request.key(), lane);
    startScaler();
    log.info(
        "Opened Kubernetes lane {} (namespace {}, at most {} pods of {} slots)",
        request.key(),
        options.namespace(),
        options.maxPods(),
        options.slotsPerPod());
    return new OpenedLane(
        lane,
        StandaloneBackendPlugin.budget(request.key()),
        true,
        StandaloneBackendPlugin.INLINE_INPUT_BYTES,
        0,
        null);
  }

  private synchronized void startScaler() {
    if (scaler == null) {
      scaler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("quarry-kubernetes-scaler").factory());
      long every = props.scaleInterval().toMillis();
      scaler.scheduleWithFixedDelay(this::scaleAll, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void scaleAll() {
    for (KubernetesLane lane : lanes.values()) {
      lane.scale();
    }
  }

  /** The lane of a profile key ({@code tenant/profile}) while it is open, for tests and views. */
  Optional<KubernetesLane> lane(String key) {
    return Optional.ofNullable(lanes.get(key));
  }

  @Override
  public synchronized void close() {
    if (scaler != null) {
      scaler.shutdownNow();
      scaler = null;
    }
    lanes.values().forEach(KubernetesLane::close);
    lanes.clear();
  }
}
