package dev.quarry.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.ServerFixture;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Kubernetes backend end to end without a cluster: the fabric8 mock API server in CRUD mode,
 * {@link TestKubelet} running each pod's command as a real worker JVM that connects back to a real
 * server over gRPC, PostgreSQL, and jobs submitted over REST.
 */
class KubernetesBackendTest {
  private static final String NS = "quarry-workers";
  private static final String SERVICE = "quarry.test.svc:9090";

  private static KubernetesMockServer api;
  private static KubernetesClient kube;
  private static ServerFixture server;
  private static TestKubelet kubelet;
  private static Http admin;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    kube =
        api.createClient(
            b ->
                b.withConfig(
                    new ConfigBuilder(Config.empty())
                        .withMasterUrl(api.url("/"))
                        .withNamespace(NS)
                        .withRequestRetryBackoffLimit(0)
                        .build()));
    server =
        ServerFixture.builder(QuarryServer.class)
            .arg(
                "--quarry.backend.pool-size=1",
                "--quarry.kubernetes.server-address=" + SERVICE,
                "--quarry.kubernetes.allow-insecure-api-server=true",
                "--quarry.kubernetes.scale-interval=200ms",
                "--quarry.kubernetes.finished-ttl=1s",
                "--quarry.workers.lease-time=3s",
                "--quarry.dispatch.retry-initial-backoff=50ms")
            .start();
    work = Files.createTempDirectory("kubelet");
    kubelet = new TestKubelet(kube, NS, Map.of(SERVICE, "127.0.0.1:" + server.grpcPort()), work);
    admin = server.http();
    Http.Response cred =
        admin.put(
            "/v1/credentials/cluster",
            "{\"kind\":\"kubernetes\",\"fields\":{\"server\":\""
                + api.url("/")
                + "\",\"token\":\"cluster-token-value\"}}");
    assertThat(cred.status()).as(cred.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.close();
    }
    if (server != null) {
      server.close();
    }
    if (kube != null) {
      kube.close();
    }
    if (api != null) {
      api.destroy();
    }
    if (work != null && System.getProperty("keepKubelet") == null) {
      ServerFixture.deleteRecursively(work);
    }
  }

  private static void profile(String name, String extraSettings) throws Exception {
    profile(name, 3, extraSettings);
  }

  private static void profile(String name, int maxPods, String extraSettings) throws Exception {
    Http.Response r =
        admin.put(
            "/v1/profiles/" + name,
            "{\"backend\":\"kubernetes\",\"credential\":\"cluster\",\"settings\":{"
                + "\"namespace\":\""
                + NS
                + "\",\"image\":\"quarry:test\",\"maxPods\":\""
                + maxPods
                + "\",\"slotsPerPod\":\"2\","
                + "\"idleTimeout\":\"5\",\"memoryLimit\":\"512Mi\""
                + extraSettings
                + "}}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static String submit(String profile, String inputs) throws Exception {
    Http.Response r =
        admin.post(
            "/v1/jobs",
            "{\"function\":\"sleep\",\"profile\":\"" + profile + "\",\"inputs\":" + inputs + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static List<Job> jobsOf(String profile) {
    return kube.batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel("quarry.dev/profile", profile)
        .list()
        .getItems();
  }

  @Test
  void podsScaleUpWithTheBacklogRunTheMapAndScaleToZeroWhenIdle() throws Exception {
    profile("k8s-main", "");
    String inputs =
        IntStream.range(0, 60)
            .mapToObj(i -> "{\"ms\":100,\"value\":" + i + "}")
            .collect(Collectors.joining(",", "[", "]"));
    String job = submit("k8s-main", inputs);
    List<JsonNode> results = admin.results(job);
    assertThat(results).hasSize(60);
    assertThat(results)
        .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("SUCCEEDED"));
    assertThat(results.stream().map(r -> r.get("result").asInt()).toList())
        .containsExactlyElementsOf(IntStream.range(0, 60).boxed().toList());
    List<Job> jobs = jobsOf("k8s-main");
    assertThat(jobs).isNotEmpty();
    assertThat(jobs).allSatisfy(j -> assertThat(j.getSpec().getParallelism()).isBetween(1, 3));
    assertThat(kubelet.podsStarted("k8s-main")).hasSizeBetween(2, 6);

    // nothing queued: idle workers exit, the Jobs finish and are deleted, no pod is started again
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(kubelet.runningPods())
                  .doesNotContainAnyElementsOf(kubelet.podsStarted("k8s-main"));
              assertThat(jobsOf("k8s-main")).isEmpty();
            });
    int started = kubelet.podsStarted("k8s-main").size();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(kubelet.podsStarted("k8s-main")).hasSize(started));
  }

  @Test
  void aPodDeletedMidTaskCostsItsTasksOneAttemptAndNothingElse() throws Exception {
    // one pod at a time: once tasks run, they run in that pod
    profile("k8s-delete", 1, "");
    String inputs =
        IntStream.range(0, 4)
            .mapToObj(i -> "{\"ms\":4000,\"value\":" + i + "}")
            .collect(Collectors.joining(",", "[", "]"));
    String job = submit("k8s-delete", inputs);
    // wait until the profile's one pod runs a task (its worker logs each invocation it starts),
    // then delete it
    String victim =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    kubelet.podsStarted("k8s-delete").stream()
                        .filter(kubelet.runningPods()::contains)
                        .filter(p -> kubelet.log(p).contains("Running invocation"))
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    kube.pods().inNamespace(NS).withName(victim).withGracePeriod(0).delete();
    List<JsonNode> results = admin.results(job);
    assertThat(results).hasSize(4);
    assertThat(results)
        .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("SUCCEEDED"));
    assertThat(results.stream().map(r -> r.get("result").asInt()).toList())
        .containsExactlyElementsOf(IntStream.range(0, 4).boxed().toList());
    assertThat(results).anySatisfy(r -> assertThat(r.get("attempts").asInt()).isEqualTo(2));
    assertThat(results).allSatisfy(r -> assertThat(r.get("attempts").asInt()).isBetween(1, 2));
  }

  @Test
  void aPodStuckPendingIsReportedOnTheJobInPlainWords() throws Exception {
    profile(
        "k8s-stuck",
        ",\"nodeSelector\":\"" + TestKubelet.UNSCHEDULABLE + "=yes\",\"pendingTimeout\":\"10\"");
    String job = submit("k8s-stuck", "[1]");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(admin.get("/v1/jobs/" + job).json().get("message").asString())
                    .contains("Pending for")
                    .contains("didn't match Pod's node affinity/selector"));
    assertThat(admin.post("/v1/jobs/" + job + "/cancel", "{}").status()).isEqualTo(200);
  }
}
