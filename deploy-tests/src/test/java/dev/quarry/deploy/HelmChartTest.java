package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, linted strictly and rendered with default and non-default values; the manifests
 * are read with fabric8's model, so a field in the wrong place fails like it would in the cluster.
 */
class HelmChartTest {
  static final Path CHART = Repo.file("helm/quarry");

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    String out =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("q")
                    .withNamespace("jobs")
                    .withKubeVersion("1.31.0"))
            .call();
    List<HasMetadata> resources = new ArrayList<>();
    for (String doc : out.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        resources.add(Serialization.unmarshal(doc));
      }
    }
    return resources;
  }

  static List<HasMetadata> defaults() {
    return render(t -> t);
  }

  static <T> List<T> all(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T> T one(List<HasMetadata> resources, Class<T> type) {
    List<T> found = all(resources, type);
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static Container server(List<HasMetadata> resources) {
    return one(resources, Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  @Test
  void lintStrictPasses() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderReplicasProbesServiceAndDisruptionBudget() throws Exception {
    List<HasMetadata> r = defaults();
    Deployment d = one(r, Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Container c = server(r);
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactlyInAnyOrder("http:8080", "grpc:9090", "management:9464");
    assertProbe(c.getStartupProbe(), "/actuator/health/liveness");
    assertProbe(c.getLivenessProbe(), "/actuator/health/liveness");
    assertProbe(c.getReadinessProbe(), "/actuator/health/readiness");
    // the ports the chart configures are the server's defaults
    assertThat(ServerSettings.applicationYamlDefault("QUARRY_MANAGEMENT_PORT")).isEqualTo("9464");
    assertThat(ServerSettings.applicationYamlDefault("QUARRY_HTTP_PORT")).isEqualTo("8080");
    assertThat(ServerSettings.defaultGrpcPort()).isEqualTo(9090);

    Service s = one(r, Service.class);
    assertThat(s.getSpec().getPorts())
        .extracting(ServicePort::getName)
        .containsExactly("http", "grpc", "metrics");
    assertThat(s.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(one(r, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(all(r, HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(all(r, Ingress.class)).isEmpty();
    assertThat(r).noneMatch(x -> x.getKind().equals("ServiceMonitor"));
  }

  static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
  }

  @Test
  void podRunsNonRootOnReadOnlyRootWithWritableTmpAndHome() {
    List<HasMetadata> r = defaults();
    var pod = one(r, Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
    Container c = server(r);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/var/lib/quarry");
    var volumes = pod.getVolumes();
    for (String name : List.of("tmp", "home")) {
      assertThat(volumes)
          .filteredOn(v -> v.getName().equals(name))
          .singleElement()
          .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }
    assertThat(env(c, "QUARRY_HOME").getValue()).isEqualTo("/var/lib/quarry");
  }

  @Test
  void secretsAreReferencedByNameNeverInlined() throws Exception {
    List<HasMetadata> r =
        render(
            t ->
                t.set("secrets.existingSecret", "team-secrets")
                    .set("database.existingSecret", "team-db")
                    .set("storage.existingSecret", "team-s3")
                    .set("storage.endpoint", "http://minio.storage:9000")
                    .set("storage.pathStyle", "true"));
    assertThat(r).noneMatch(x -> x.getKind().equals("Secret"));
    Container c = server(r);
    assertThat(env(c, "QUARRY_SECRETS_MASTER_KEYS").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("team-secrets");
    assertThat(env(c, "QUARRY_OPERATOR_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("team-secrets");
    assertThat(env(c, "QUARRY_DB_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("team-db");
    assertThat(env(c, "QUARRY_S3_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("team-s3");
    for (EnvVar e : c.getEnv()) {
      if (e.getName().matches(".*(KEY|PASSWORD|SECRET).*")) {
        assertThat(e.getValue()).as(e.getName()).isNull();
        assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
      }
    }
    // the config file has placeholders the server resolves from those variables, and S3 names with
    // their case
    Map<String, Object> app = application(r);
    Map<String, Object> settings = Repo.map(Repo.at(app, "quarry.storage.settings"));
    assertThat(settings)
        .containsEntry("accessKeyId", "${QUARRY_S3_ACCESS_KEY_ID}")
        .containsEntry("secretAccessKey", "${QUARRY_S3_SECRET_ACCESS_KEY}")
        .containsEntry("pathStyle", "true")
        .containsEntry("endpoint", "http://minio.storage:9000");
    assertThat(ServerSettings.s3SettingNames()).containsAll(settings.keySet());
    // values.yaml itself carries no secret values
    String values = Files.readString(CHART.resolve("values.yaml"));
    assertThat(values)
        .doesNotContainPattern(
            "(?im)^\\s*(password|secretAccessKey|accessKeyId|operatorKey|masterKeys|masterKey)\\s*:\\s*\\S");
  }

  @Test
  void configMapIsTheServersApplicationYamlAndValuesOverrideIt() {
    List<HasMetadata> r =
        render(
            t ->
                t.set("config.quarry.backend.poolSize", "4")
                    .set("config.quarry.limits.maxInputsPerJob", "5000"));
    Map<String, Object> app = application(r);
    assertThat(Repo.at(app, "quarry.storage.type")).isEqualTo("s3");
    assertThat(Repo.at(app, "quarry.db.url")).isEqualTo("jdbc:postgresql://postgresql:5432/quarry");
    assertThat(Repo.at(app, "quarry.backend.poolSize")).isEqualTo(4);
    assertThat(Repo.at(app, "quarry.limits.maxInputsPerJob")).isEqualTo(5000);
    assertThat(Repo.at(app, "quarry.devKey")).isEqualTo(false);
    assertThat(Repo.at(app, "management.server.port")).isEqualTo(9464);
    for (String property :
        List.of(
            "quarry.backend.poolSize",
            "quarry.limits.maxInputsPerJob",
            "quarry.db.url",
            "quarry.db.poolSize",
            "quarry.devKey",
            "quarry.grpc.port")) {
      assertThat(ServerSettings.bindProperty(property)).as(property).isPresent();
    }
    Container c = server(r);
    assertThat(env(c, "SPRING_CONFIG_ADDITIONAL_LOCATION").getValue()).isEqualTo("/etc/quarry/");
    assertThat(c.getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/etc/quarry") && m.getReadOnly());
    // a changed config rolls the pods
    String before =
        one(defaults(), Deployment.class)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("checksum/config");
    String after =
        one(r, Deployment.class)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("checksum/config");
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void rbacOnlyWhenEnabled() {
    List<HasMetadata> off = defaults();
    assertThat(all(off, Role.class)).isEmpty();
    assertThat(all(off, RoleBinding.class)).isEmpty();
    assertThat(
            one(off, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();

    List<HasMetadata> on = render(t -> t.set("rbac.create", "true"));
    Role role = one(on, Role.class);
    assertThat(role.getRules())
        .flatExtracting(rule -> rule.getResources())
        .contains("pods", "jobs", "secrets");
    assertThat(role.getRules()).flatExtracting(rule -> rule.getVerbs()).doesNotContain("*");
    RoleBinding binding = one(on, RoleBinding.class);
    String sa = one(on, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(sa);
              assertThat(s.getNamespace()).isEqualTo("jobs");
            });
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(
            one(on, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isTrue();
  }

  @Test
  void autoscalerOnlyWhenEnabledAndThenItOwnsTheReplicas() {
    List<HasMetadata> r =
        render(t -> t.set("autoscaling.enabled", "true").set("autoscaling.maxReplicas", "9"));
    HorizontalPodAutoscaler hpa = one(r, HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(9);
    assertThat(hpa.getSpec().getScaleTargetRef().getName())
        .isEqualTo(one(r, Deployment.class).getMetadata().getName());
    assertThat(one(r, Deployment.class).getSpec().getReplicas()).isNull();
  }

  @Test
  void ingressAndServiceMonitorWhenEnabled() {
    List<HasMetadata> r =
        render(
            t ->
                t.set("ingress.enabled", "true")
                    .set("ingress.className", "nginx")
                    .set("metrics.serviceMonitor.enabled", "true"));
    Ingress ingress = one(r, Ingress.class);
    var backend =
        ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
    assertThat(backend.getPort().getName()).isEqualTo("http");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    GenericKubernetesResource monitor =
        r.stream()
            .filter(x -> x.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    Map<String, Object> endpoint =
        Repo.map(((List<?>) Repo.at(monitor.getAdditionalProperties(), "spec.endpoints")).get(0));
    assertThat(endpoint)
        .containsEntry("port", "metrics")
        .containsEntry("path", "/actuator/prometheus");
  }

  static EnvVar env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  static Map<String, Object> application(List<HasMetadata> r) {
    return Repo.yaml(one(r, ConfigMap.class).getData().get("application.yaml"));
  }
}
