package dev.quarry.backend.internal.kubernetes;

import dev.quarry.backend.kubernetes.WorkerPodOptions;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The pod template of a pool's workers. */
final class PodTemplates {
  static final String TOKEN_KEY = "token";
  static final String TOKEN_DIR = "/var/run/quarry";
  static final String TOKEN_FILE = TOKEN_DIR + "/" + TOKEN_KEY;

  /** Time a worker has to finish what it holds after SIGTERM (drain). */
  static final long GRACE_SECONDS = 120;

  private PodTemplates() {}

  static PodTemplateSpec worker(WorkerPodOptions o, PoolNames names, Map<String, String> labels) {
    List<String> args =
        List.of(
            "--server",
            o.serverAddress(),
            "--token-file",
            TOKEN_FILE,
            "--slots",
            String.valueOf(o.slotsPerPod()),
            "--idle-exit",
            o.idleTimeout().toSeconds() + "s");
    List<String> command = new java.util.ArrayList<>(o.command());
    command.addAll(args);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withActiveDeadlineSeconds(o.activeDeadline().toSeconds())
        .withTerminationGracePeriodSeconds(GRACE_SECONDS)
        .withServiceAccountName(o.serviceAccount())
        .withAutomountServiceAccountToken(o.serviceAccount() != null)
        .withNodeSelector(o.nodeSelector().isEmpty() ? null : o.nodeSelector())
        .withTolerations(tolerations(o.tolerations()))
        .withImagePullSecrets(o.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("worker")
        .withImage(o.image())
        .withCommand(command)
        .withResources(
            new ResourceRequirementsBuilder()
                .withRequests(quantities(o.cpuRequest(), o.memoryRequest()))
                .withLimits(quantities(o.cpuLimit(), o.memoryLimit()))
                .build())
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("token")
        .withMountPath(TOKEN_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("token")
        .withNewSecret()
        .withSecretName(names.secret())
        .withDefaultMode(0400)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("2Gi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  private static List<Toleration> tolerations(List<WorkerPodOptions.Toleration> list) {
    return list.stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.key().isEmpty() ? null : t.key())
                    .withOperator(t.operator())
                    .withValue(t.value().isEmpty() ? null : t.value())
                    .withEffect(t.effect().isEmpty() ? null : t.effect())
                    .build())
        .toList();
  }

  private static Map<String, Quantity> quantities(@Nullable String cpu, @Nullable String memory) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    if (cpu != null) {
      m.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      m.put("memory", new Quantity(memory));
    }
    return m;
  }
}
