package dev.quarry.backend.internal.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.kubernetes.KubernetesPools;
import dev.quarry.backend.kubernetes.PodProblem;
import dev.quarry.backend.kubernetes.PodProblem.Kind;
import dev.quarry.backend.kubernetes.WorkerPodOptions;
import dev.quarry.backend.kubernetes.WorkerPods;
import dev.quarry.backend.kubernetes.WorkerPodsException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pod scaler against the fabric8 mock API server in CRUD mode (no controllers run). */
class JobWorkerPodsTest {
  private static final String NS = "workers";
  private static final String TOKEN = "qwt_secret-token-value-123";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client =
        server.createClient(
            b ->
                b.withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder(
                            io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl(server.url("/"))
                        .withNamespace(NS)
                        .withRequestRetryBackoffLimit(0)
                        .build()));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private WorkerPodOptions.Builder options() {
    return WorkerPodOptions.builder()
        .namespace(NS)
        .image("registry.example.com/quarry-server:0.1.0")
        .tenant("acme")
        .profile("k8s")
        .serverAddress("quarry.quarry.svc:9090")
        .maxPods(5)
        .slotsPerPod(3)
        .memory("256Mi", "512Mi")
        .cpu("250m", "1")
        .serviceAccount("quarry-worker")
        .nodeSelector("pool", "batch")
        .toleration(new WorkerPodOptions.Toleration("dedicated", "Equal", "quarry", "NoSchedule"))
        .imagePullSecret("regcred")
        .pendingTimeout(Duration.ofMinutes(2))
        .finishedTtl(Duration.ofMinutes(5));
  }

  private List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  @Test
  void scalesUpWithAJobWhoseTokenIsInASecretOnly() {
    try (WorkerPods pods =
        KubernetesPools.open(client, options().build(), current -> TOKEN, clock)) {
      pods.scaleTo(3);
      List<Job> jobs = jobs();
      assertThat(jobs).hasSize(1);
      Job job = jobs.get(0);
      assertThat(job.getSpec().getParallelism()).isEqualTo(3);
      assertThat(job.getSpec().getCompletions()).isNull();
      assertThat(job.getMetadata().getLabels())
          .containsEntry("quarry.dev/tenant", "acme")
          .containsEntry("quarry.dev/profile", "k8s");
      var pod = job.getSpec().getTemplate().getSpec();
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      assertThat(pod.getActiveDeadlineSeconds()).isEqualTo(Duration.ofHours(12).toSeconds());
      assertThat(pod.getServiceAccountName()).isEqualTo("quarry-worker");
      assertThat(pod.getNodeSelector()).containsEntry("pool", "batch");
      assertThat(pod.getTolerations())
          .singleElement()
          .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
      assertThat(pod.getImagePullSecrets())
          .singleElement()
          .satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
      var container = pod.getContainers().get(0);
      assertThat(container.getCommand())
          .containsSubsequence("--server", "quarry.quarry.svc:9090")
          .containsSubsequence("--slots", "3")
          .containsSubsequence("--token-file", PodTemplates.TOKEN_FILE);
      assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
      assertThat(container.getEnv()).isNullOrEmpty();
      assertThat(Serialization.asJson(job)).doesNotContain(TOKEN);

      var secret =
          client.secrets().inNamespace(NS).withName(PoolNames.of("acme", "k8s").secret()).get();
      assertThat(
              new String(
                  Base64.getDecoder().decode(secret.getData().get("token")),
                  StandardCharsets.UTF_8))
          .isEqualTo(TOKEN);

      // more backlog: the same Job gets more pods, capped at maxPods
      pods.scaleTo(50);
      assertThat(jobs())
          .singleElement()
          .satisfies(j -> assertThat(j.getSpec().getParallelism()).isEqualTo(5));
      // less backlog never kills a pod
      pods.scaleTo(1);
      assertThat(jobs())
          .singleElement()
          .satisfies(j -> assertThat(j.getSpec().getParallelism()).isEqualTo(5));
    }
  }

  @Test
  void aSecondReplicaKeepsTheTokenTheSecretHolds() {
    KubernetesPools.open(client, options().build(), current -> TOKEN, clock);
    AtomicReference<String> seen = new AtomicReference<>();
    KubernetesPools.open(
        client,
        options().build(),
        current -> {
          seen.set(current);
          return current;
        },
        clock);
    assertThat(seen.get()).isEqualTo(TOKEN);
    KubernetesPools.open(client, options().build(), current -> "qwt_new", clock);
    var secret =
        client.secrets().inNamespace(NS).withName(PoolNames.of("acme", "k8s").secret()).get();
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8))
        .isEqualTo("qwt_new");
  }

  @Test
  void aJobWindingDownIsLeftAloneAndANewGenerationStarts() {
    try (WorkerPods pods =
        KubernetesPools.open(client, options().build(), current -> TOKEN, clock)) {
      pods.scaleTo(2);
      Job first = jobs().get(0);
      pod(first, "a", "Running");
      pod(
          first,
          "b",
          "Succeeded"); // an idle worker exited: Kubernetes starts no new pod of this Job
      pods.scaleTo(4);
      assertThat(pods.activePods()).isEqualTo(1);
      List<Job> jobs = jobs();
      assertThat(jobs).hasSize(2);
      Job second =
          jobs.stream()
              .filter(j -> !j.getMetadata().getName().equals(first.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      assertThat(second.getSpec().getParallelism()).isEqualTo(3);
      assertThat(second.getMetadata().getLabels()).containsEntry("quarry.dev/generation", "2");
      assertThat(
              client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(NS)
                  .withName(first.getMetadata().getName())
                  .get()
                  .getSpec()
                  .getParallelism())
          .isEqualTo(2);
    }
  }

  @Test
  void finishedJobsAreDeletedAfterTheirTtl() {
    try (WorkerPods pods =
        KubernetesPools.open(client, options().build(), current -> TOKEN, clock)) {
      pods.scaleTo(1);
      Job job = jobs().get(0);
      pod(job, "a", "Succeeded");
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(NS)
          .resource(
              new JobBuilder(job)
                  .withNewStatus()
                  .withSucceeded(1)
                  .addNewCondition()
                  .withType("Complete")
                  .withStatus("True")
                  .withLastTransitionTime(now.get().toString())
                  .endCondition()
                  .endStatus()
                  .build())
          .updateStatus();
      pods.scaleTo(0);
      assertThat(jobs()).hasSize(1);
      now.set(now.get().plus(Duration.ofMinutes(6)));
      pods.scaleTo(0);
      assertThat(jobs()).isEmpty();
      assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
      assertThat(pods.activePods()).isZero();
    }
  }

  @Test
  void podProblemsAreReportedOnceInPlainWords() {
    try (WorkerPods pods =
        KubernetesPools.open(client, options().build(), current -> TOKEN, clock)) {
      pods.scaleTo(4);
      Job job = jobs().get(0);
      Pod pulling = pod(job, "pull", "Pending");
      pulling
          .getStatus()
          .setContainerStatuses(
              List.of(
                  new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                      .withName("worker")
                      .withNewState()
                      .withNewWaiting()
                      .withReason("ImagePullBackOff")
                      .withMessage(
                          "Back-off pulling image \"registry.example.com/quarry-server:0.1.0\"")
                      .endWaiting()
                      .endState()
                      .build()));
      client.pods().inNamespace(NS).resource(pulling).updateStatus();
      Pod oom = pod(job, "oom", "Failed");
      oom.getStatus()
          .setContainerStatuses(
              List.of(
                  new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                      .withName("worker")
                      .withNewState()
                      .withNewTerminated()
                      .withReason("OOMKilled")
                      .withExitCode(137)
                      .endTerminated()
                      .endState()
                      .build()));
      client.pods().inNamespace(NS).resource(oom).updateStatus();
      Pod evicted = pod(job, "evicted", "Failed");
      evicted.getStatus().setReason("Evicted");
      evicted.getStatus().setMessage("The node was low on resource: memory.");
      client.pods().inNamespace(NS).resource(evicted).updateStatus();
      Pod stuck = pod(job, "stuck", "Pending");
      stuck
          .getStatus()
          .setConditions(
              List.of(
                  new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                      .withType("PodScheduled")
                      .withStatus("False")
                      .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                      .build()));
      client.pods().inNamespace(NS).resource(stuck).updateStatus();

      pods.scaleTo(4);
      List<PodProblem> first = pods.problems();
      assertThat(first)
          .extracting(PodProblem::kind)
          .containsExactlyInAnyOrder(Kind.CANNOT_START, Kind.OUT_OF_MEMORY, Kind.EVICTED);
      assertThat(first)
          .filteredOn(p -> p.kind() == Kind.OUT_OF_MEMORY)
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("out of memory (limit 512Mi)"));
      assertThat(first)
          .filteredOn(p -> p.kind() == Kind.CANNOT_START)
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.message())
                      .contains("ImagePullBackOff")
                      .contains("Back-off pulling image"));
      assertThat(first)
          .filteredOn(p -> p.kind() == Kind.EVICTED)
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("low on resource"));

      // Pending past the pool's pending timeout
      now.set(now.get().plus(Duration.ofMinutes(3)));
      pods.scaleTo(4);
      assertThat(pods.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(Kind.PENDING_TOO_LONG);
                assertThat(p.message())
                    .containsPattern("Pending for 1[78][0-9] s")
                    .contains("Insufficient memory");
              });
      pods.scaleTo(4);
      assertThat(pods.problems()).isEmpty();
    }
  }

  @Test
  void closeDeletesThePoolAndBadOptionsAreRefused() {
    WorkerPods pods = KubernetesPools.open(client, options().build(), current -> TOKEN, clock);
    pods.scaleTo(2);
    pod(jobs().get(0), "a", "Running");
    pods.close();
    assertThat(jobs()).isEmpty();
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();

    assertThatThrownBy(() -> options().namespace("Bad_NS").build())
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> options().image("img; rm -rf /").build())
        .hasMessageContaining("image");
    assertThatThrownBy(() -> options().memory("lots", null).build())
        .hasMessageContaining("memoryRequest");
    assertThatThrownBy(() -> options().maxPods(0).build()).hasMessageContaining("maxPods");
    assertThatThrownBy(() -> options().slotsPerPod(65).build()).hasMessageContaining("slotsPerPod");
    assertThatThrownBy(() -> options().nodeSelector("k", "v".repeat(70)).build())
        .hasMessageContaining("nodeSelector");
  }

  @Test
  void anUnreachableApiServerIsAWorkerPodsException() {
    WorkerPods pods = KubernetesPools.open(client, options().build(), current -> TOKEN, clock);
    server.destroy();
    assertThatThrownBy(() -> pods.scaleTo(1))
        .isInstanceOf(WorkerPodsException.class)
        .hasMessageContaining("scale worker pods");
  }

  private Pod pod(Job job, String suffix, String phase) {
    Map<String, String> labels =
        new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-" + suffix)
            .withNamespace(NS)
            .withLabels(labels)
            .withCreationTimestamp(now.get().toString())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase(phase)
            .endStatus()
            .build();
    return client.pods().inNamespace(NS).resource(pod).create();
  }
}
