package dev.quarry.backend.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the worker pods of one pool look like and where they run. Every value is checked when the
 * options are built ({@link IllegalArgumentException} naming the setting), so a pod spec the API
 * server would refuse is refused here first.
 *
 * <pre>{@code
 * WorkerPodOptions options = WorkerPodOptions.builder()
 *     .namespace("quarry-workers")
 *     .image("registry.example.com/quarry-server:0.1.0")
 *     .tenant("acme").profile("k8s")
 *     .serverAddress("quarry.quarry.svc:9090")
 *     .maxPods(20).slotsPerPod(4)
 *     .build();
 * }</pre>
 *
 * <p>Long because an options class with a builder: every setting of the pods is documented and
 * validated here.
 */
public final class WorkerPodOptions {
  public static final int MAX_PODS = 1000;
  public static final int MAX_SLOTS_PER_POD = 64;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofMinutes(3);
  public static final Duration DEFAULT_ACTIVE_DEADLINE = Duration.ofHours(12);
  public static final Duration DEFAULT_FINISHED_TTL = Duration.ofMinutes(5);

  /**
   * The pull worker's entry point in Quarry's container image (Jib's class-path file; the image has
   * no shell). The worker runs tenant code in its own JVM, so it takes most of the pod's memory.
   */
  public static final List<String> DEFAULT_COMMAND =
      List.of(
          "java",
          "-XX:MaxRAMPercentage=75",
          "-cp",
          "@/app/jib-classpath-file",
          "dev.quarry.worker.pull.PullWorkerMain");

  /** DNS-1123 label: namespaces, service accounts, secret names. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** DNS-1123 subdomain with an optional prefix, as label and node-selector keys. */
  static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  /** A Kubernetes quantity such as {@code 500m}, {@code 2}, {@code 512Mi}, {@code 1.5Gi}. */
  static final Pattern QUANTITY =
      Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,6})?(m|k|M|G|T|Ki|Mi|Gi|Ti)?");

  /** An image reference: registry/path:tag or @sha256:digest, no spaces or shell characters. */
  static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");

  static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}");

  /**
   * A toleration of the pods.
   *
   * @param key the taint key, empty with operator Exists to tolerate every taint
   * @param operator {@code Equal} or {@code Exists}
   * @param value the taint value for Equal
   * @param effect {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute} or empty for all
   */
  public record Toleration(String key, String operator, String value, String effect) {
    public Toleration {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(effect, "effect");
      if (!key.isEmpty() && !LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("toleration key '" + clip(key) + "' is not a valid key");
      }
      if (!List.of("Equal", "Exists").contains(operator)) {
        throw new IllegalArgumentException("toleration operator must be Equal or Exists");
      }
      if (!LABEL_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("toleration value '" + clip(value) + "' is not valid");
      }
      if (!List.of("", "NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
        throw new IllegalArgumentException(
            "toleration effect must be NoSchedule, PreferNoSchedule, NoExecute or empty");
      }
    }
  }

  private final String namespace;
  private final String image;
  private final String tenant;
  private final String profile;
  private final String serverAddress;
  private final @Nullable String cpuRequest;
  private final @Nullable String cpuLimit;
  private final @Nullable String memoryRequest;
  private final @Nullable String memoryLimit;
  private final int maxPods;
  private final int slotsPerPod;
  private final Duration idleTimeout;
  private final Duration pendingTimeout;
  private final Duration activeDeadline;
  private final Duration finishedTtl;
  private final @Nullable String serviceAccount;
  private final Map<String, String> nodeSelector;
  private final List<Toleration> tolerations;
  private final List<String> imagePullSecrets;
  private final List<String> command;

  private WorkerPodOptions(Builder b) {
    this.namespace = check("namespace", b.namespace, DNS_LABEL);
    this.image = check("image", b.image, IMAGE);
    this.tenant = Objects.requireNonNull(b.tenant, "tenant");
    this.profile = Objects.requireNonNull(b.profile, "profile");
    this.serverAddress = check("serverAddress", b.serverAddress, HOST_PORT);
    this.cpuRequest = optional("cpuRequest", b.cpuRequest, QUANTITY);
    this.cpuLimit = optional("cpuLimit", b.cpuLimit, QUANTITY);
    this.memoryRequest = optional("memoryRequest", b.memoryRequest, QUANTITY);
    this.memoryLimit = optional("memoryLimit", b.memoryLimit, QUANTITY);
    this.maxPods = range("maxPods", b.maxPods, 1, MAX_PODS);
    this.slotsPerPod = range("slotsPerPod", b.slotsPerPod, 1, MAX_SLOTS_PER_POD);
    this.idleTimeout = duration("idleTimeout", b.idleTimeout, Duration.ofDays(1));
    this.pendingTimeout = duration("pendingTimeout", b.pendingTimeout, Duration.ofDays(1));
    this.activeDeadline = duration("activeDeadline", b.activeDeadline, Duration.ofDays(7));
    this.finishedTtl = duration("finishedTtl", b.finishedTtl, Duration.ofDays(1));
    this.serviceAccount = optional("serviceAccount", b.serviceAccount, DNS_LABEL);
    if (b.nodeSelector.size() > 32) {
      throw new IllegalArgumentException("nodeSelector holds more than 32 entries");
    }
    b.nodeSelector.forEach(
        (k, v) -> {
          check("nodeSelector key", k, LABEL_KEY);
          check("nodeSelector value", v, LABEL_VALUE);
        });
    this.nodeSelector = Map.copyOf(b.nodeSelector);
    if (b.tolerations.size() > 32) {
      throw new IllegalArgumentException("tolerations holds more than 32 entries");
    }
    this.tolerations = List.copyOf(b.tolerations);
    if (b.imagePullSecrets.size() > 8) {
      throw new IllegalArgumentException("imagePullSecrets holds more than 8 names");
    }
    b.imagePullSecrets.forEach(s -> check("imagePullSecrets", s, DNS_LABEL));
    this.imagePullSecrets = List.copyOf(b.imagePullSecrets);
    if (b.command.isEmpty() || b.command.size() > 16) {
      throw new IllegalArgumentException("command must hold 1 to 16 words");
    }
    this.command = List.copyOf(b.command);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String namespace() {
    return namespace;
  }

  public String image() {
    return image;
  }

  /** The tenant whose invocations the pods take (a label of every object of the pool). */
  public String tenant() {
    return tenant;
  }

  /** The profile whose invocations the pods take (a label of every object of the pool). */
  public String profile() {
    return profile;
  }

  /** {@code host:port} of the server's gRPC port as the pods reach it. */
  public String serverAddress() {
    return serverAddress;
  }

  public @Nullable String cpuRequest() {
    return cpuRequest;
  }

  public @Nullable String cpuLimit() {
    return cpuLimit;
  }

  public @Nullable String memoryRequest() {
    return memoryRequest;
  }

  public @Nullable String memoryLimit() {
    return memoryLimit;
  }

  public int maxPods() {
    return maxPods;
  }

  public int slotsPerPod() {
    return slotsPerPod;
  }

  /** A worker with nothing to do for this long exits, and its pod ends. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A pod still Pending after this long is reported on the pool's jobs. */
  public Duration pendingTimeout() {
    return pendingTimeout;
  }

  /** No pod lives longer than this ({@code activeDeadlineSeconds}); its job starts another. */
  public Duration activeDeadline() {
    return activeDeadline;
  }

  /** A finished Kubernetes Job is deleted this long after it finished. */
  public Duration finishedTtl() {
    return finishedTtl;
  }

  public @Nullable String serviceAccount() {
    return serviceAccount;
  }

  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  public List<Toleration> tolerations() {
    return tolerations;
  }

  public List<String> imagePullSecrets() {
    return imagePullSecrets;
  }

  /** The worker's command in the image; the pool adds server, token file, slots and idle exit. */
  public List<String> command() {
    return command;
  }

  private static String check(String name, @Nullable String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name + (value == null ? " is required" : " '" + clip(value) + "' is not valid"));
    }
    return value;
  }

  private static @Nullable String optional(String name, @Nullable String value, Pattern pattern) {
    return value == null || value.isEmpty() ? null : check(name, value, pattern);
  }

  private static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max);
    }
    return value;
  }

  private static Duration duration(String name, Duration value, Duration max) {
    if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be 1s to " + max.toHours() + "h");
    }
    return value;
  }

  static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  /** Builds {@link WorkerPodOptions}. */
  public static final class Builder {
    private @Nullable String namespace = "default";
    private @Nullable String image;
    private @Nullable String tenant;
    private @Nullable String profile;
    private @Nullable String serverAddress;
    private @Nullable String cpuRequest;
    private @Nullable String cpuLimit;
    private @Nullable String memoryRequest;
    private @Nullable String memoryLimit;
    private int maxPods = 10;
    private int slotsPerPod = 2;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration pendingTimeout = DEFAULT_PENDING_TIMEOUT;
    private Duration activeDeadline = DEFAULT_ACTIVE_DEADLINE;
    private Duration finishedTtl = DEFAULT_FINISHED_TTL;
    private @Nullable String serviceAccount;
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<String> imagePullSecrets = new ArrayList<>();
    private List<String> command = DEFAULT_COMMAND;

    private Builder() {}

    /** The worker's command, for images other than Quarry's. */
    public Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    public Builder serverAddress(String serverAddress) {
      this.serverAddress = serverAddress;
      return this;
    }

    public Builder cpu(@Nullable String request, @Nullable String limit) {
      this.cpuRequest = request;
      this.cpuLimit = limit;
      return this;
    }

    public Builder memory(@Nullable String request, @Nullable String limit) {
      this.memoryRequest = request;
      this.memoryLimit = limit;
      return this;
    }

    public Builder maxPods(int maxPods) {
      this.maxPods = maxPods;
      return this;
    }

    public Builder slotsPerPod(int slotsPerPod) {
      this.slotsPerPod = slotsPerPod;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = Objects.requireNonNull(idleTimeout);
      return this;
    }

    public Builder pendingTimeout(Duration pendingTimeout) {
      this.pendingTimeout = Objects.requireNonNull(pendingTimeout);
      return this;
    }

    public Builder activeDeadline(Duration activeDeadline) {
      this.activeDeadline = Objects.requireNonNull(activeDeadline);
      return this;
    }

    public Builder finishedTtl(Duration finishedTtl) {
      this.finishedTtl = Objects.requireNonNull(finishedTtl);
      return this;
    }

    public Builder serviceAccount(@Nullable String serviceAccount) {
      this.serviceAccount = serviceAccount;
      return this;
    }

    public Builder nodeSelector(String key, String value) {
      nodeSelector.put(key, value);
      return this;
    }

    public Builder toleration(Toleration toleration) {
      tolerations.add(Objects.requireNonNull(toleration));
      return this;
    }

    public Builder imagePullSecret(String name) {
      imagePullSecrets.add(name);
      return this;
    }

    public WorkerPodOptions build() {
      return new WorkerPodOptions(this);
    }
  }
}
