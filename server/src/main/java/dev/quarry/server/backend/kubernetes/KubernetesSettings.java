package dev.quarry.server.backend.kubernetes;

import dev.quarry.backend.kubernetes.WorkerPodOptions;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a {@code kubernetes} profile: {@code namespace}, {@code image} (required), {@code
 * cpuRequest}, {@code cpuLimit}, {@code memoryRequest}, {@code memoryLimit} (Kubernetes
 * quantities), {@code maxPods}, {@code slotsPerPod}, {@code idleTimeout} and {@code pendingTimeout}
 * (seconds), {@code serviceAccount}, {@code nodeSelector} ({@code key=value,...}), {@code
 * tolerations} ({@code key=value:Effect,...} or {@code key:Effect} for Exists), {@code
 * imagePullSecrets} (names, comma-separated).
 */
record KubernetesSettings(Map<String, String> raw) {
  static final Setting MAX_PODS = Setting.whole("maxPods", 1, WorkerPodOptions.MAX_PODS, "pods");
  static final Setting SLOTS =
      Setting.whole("slotsPerPod", 1, WorkerPodOptions.MAX_SLOTS_PER_POD, "invocations");
  static final Setting IDLE = Setting.whole("idleTimeout", 5, 86_400, "seconds");
  static final Setting PENDING = Setting.whole("pendingTimeout", 10, 86_400, "seconds");

  static final Set<String> NAMES =
      Set.of(
          "namespace",
          "image",
          "cpuRequest",
          "cpuLimit",
          "memoryRequest",
          "memoryLimit",
          "maxPods",
          "slotsPerPod",
          "idleTimeout",
          "pendingTimeout",
          "serviceAccount",
          "nodeSelector",
          "tolerations",
          "imagePullSecrets");

  /**
   * The pod options of a profile's pool.
   *
   * @throws ApiException INVALID_ARGUMENT naming the first invalid setting
   */
  WorkerPodOptions options(
      String tenant, String profile, String serverAddress, Duration finishedTtl) {
    Map<String, String> s = raw;
    if (!s.containsKey("image")) {
      throw ApiException.invalid("kubernetes profiles need setting 'image' (the worker image)");
    }
    WorkerPodOptions.Builder b =
        WorkerPodOptions.builder()
            .namespace(s.getOrDefault("namespace", "default"))
            .image(s.get("image"))
            .tenant(tenant)
            .profile(profile)
            .serverAddress(serverAddress)
            .cpu(s.get("cpuRequest"), s.get("cpuLimit"))
            .memory(s.get("memoryRequest"), s.get("memoryLimit"))
            .maxPods(MAX_PODS.intValue(s, 10))
            .slotsPerPod(SLOTS.intValue(s, 2))
            .idleTimeout(Duration.ofSeconds(IDLE.intValue(s, 120)))
            .pendingTimeout(Duration.ofSeconds(PENDING.intValue(s, 180)))
            .serviceAccount(s.get("serviceAccount"))
            .finishedTtl(finishedTtl);
    for (String pair : list(s.get("nodeSelector"))) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw ApiException.invalid("setting 'nodeSelector' must be key=value,...");
      }
      b.nodeSelector(pair.substring(0, eq), pair.substring(eq + 1));
    }
    for (String t : list(s.get("tolerations"))) {
      b.toleration(toleration(t));
    }
    list(s.get("imagePullSecrets")).forEach(b::imagePullSecret);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("setting " + e.getMessage());
    }
  }

  private static WorkerPodOptions.Toleration toleration(String text) {
    int colon = text.lastIndexOf(':');
    String effect = colon < 0 ? "" : text.substring(colon + 1);
    String head = colon < 0 ? text : text.substring(0, colon);
    int eq = head.indexOf('=');
    try {
      return eq < 0
          ? new WorkerPodOptions.Toleration(head, "Exists", "", effect)
          : new WorkerPodOptions.Toleration(
              head.substring(0, eq), "Equal", head.substring(eq + 1), effect);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("setting 'tolerations': " + e.getMessage());
    }
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    if (value.length() > 4096) {
      throw ApiException.invalid("a kubernetes list setting is longer than 4096 characters");
    }
    return List.of(value.split(",")).stream().map(String::strip).filter(x -> !x.isEmpty()).toList();
  }
}
