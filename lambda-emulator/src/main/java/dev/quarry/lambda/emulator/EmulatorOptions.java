package dev.quarry.lambda.emulator;

import dev.quarry.lambda.emulator.internal.RuntimeClasspath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link LambdaEmulator}. Build with {@link #builder()}; credentials are required,
 * everything else has a default ({@code DEFAULT_*}).
 *
 * <pre>{@code
 * EmulatorOptions options = EmulatorOptions.builder()
 *     .credentials("AKIDEXAMPLE", "secret")
 *     .region("us-east-1")
 *     .maxInstancesPerFunction(4)
 *     .build();
 * }</pre>
 *
 * <p>Long because an options class with a builder: every setting is documented and validated here.
 */
public final class EmulatorOptions {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final int DEFAULT_MAX_INSTANCES_PER_FUNCTION = 4;
  public static final int DEFAULT_CONCURRENCY_LIMIT = 1000;
  public static final Duration DEFAULT_STATE_TRANSITION_DELAY = Duration.ofMillis(300);
  public static final long DEFAULT_SEED = 42L;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;
  private final int maxInstancesPerFunction;
  private final int concurrencyLimit;
  private final Map<String, String> instanceEnvironment;
  private final Duration stateTransitionDelay;
  private final Path javaHome;
  private final String runtimeClasspath;
  private final @Nullable CodeFetcher codeFetcher;
  private final long seed;

  private EmulatorOptions(Builder b) {
    this.accessKeyId = Objects.requireNonNull(b.accessKeyId, "credentials are required");
    this.secretAccessKey = Objects.requireNonNull(b.secretAccessKey, "credentials are required");
    this.region = b.region;
    this.maxInstancesPerFunction = b.maxInstancesPerFunction;
    this.concurrencyLimit = b.concurrencyLimit;
    this.instanceEnvironment = Map.copyOf(b.instanceEnvironment);
    this.stateTransitionDelay = b.stateTransitionDelay;
    this.javaHome = b.javaHome != null ? b.javaHome : Path.of(System.getProperty("java.home"));
    this.runtimeClasspath =
        b.runtimeClasspath != null ? b.runtimeClasspath : RuntimeClasspath.detect();
    this.codeFetcher = b.codeFetcher;
    this.seed = b.seed;
  }

  /** A builder with every default set and no credentials. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.accessKeyId = accessKeyId;
    b.secretAccessKey = secretAccessKey;
    b.region = region;
    b.maxInstancesPerFunction = maxInstancesPerFunction;
    b.concurrencyLimit = concurrencyLimit;
    b.instanceEnvironment.putAll(instanceEnvironment);
    b.stateTransitionDelay = stateTransitionDelay;
    b.javaHome = javaHome;
    b.runtimeClasspath = runtimeClasspath;
    b.codeFetcher = codeFetcher;
    b.seed = seed;
    return b;
  }

  /** The access key id clients must sign with. */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret access key clients must sign with. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  public String region() {
    return region;
  }

  public int maxInstancesPerFunction() {
    return maxInstancesPerFunction;
  }

  public int concurrencyLimit() {
    return concurrencyLimit;
  }

  public Map<String, String> instanceEnvironment() {
    return instanceEnvironment;
  }

  public Duration stateTransitionDelay() {
    return stateTransitionDelay;
  }

  public Path javaHome() {
    return javaHome;
  }

  /** The runtime interface client's classpath (entries separated by the path separator). */
  public String runtimeClasspath() {
    return runtimeClasspath;
  }

  public @Nullable CodeFetcher codeFetcher() {
    return codeFetcher;
  }

  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "EmulatorOptions[accessKeyId="
        + accessKeyId
        + ", region="
        + region
        + ", maxInstancesPerFunction="
        + maxInstancesPerFunction
        + ", concurrencyLimit="
        + concurrencyLimit
        + ", instanceEnvironment="
        + instanceEnvironment.keySet()
        + ", stateTransitionDelay="
        + stateTransitionDelay
        + ", javaHome="
        + javaHome
        + ", seed="
        + seed
        + "]";
  }

  /** Builds {@link EmulatorOptions}; setters fail fast on invalid values. */
  public static final class Builder {
    private @Nullable String accessKeyId;
    private @Nullable String secretAccessKey;
    private String region = DEFAULT_REGION;
    private int maxInstancesPerFunction = DEFAULT_MAX_INSTANCES_PER_FUNCTION;
    private int concurrencyLimit = DEFAULT_CONCURRENCY_LIMIT;
    private final Map<String, String> instanceEnvironment = new LinkedHashMap<>();
    private Duration stateTransitionDelay = DEFAULT_STATE_TRANSITION_DELAY;
    private @Nullable Path javaHome;
    private @Nullable String runtimeClasspath;
    private @Nullable CodeFetcher codeFetcher;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    /**
     * The only credentials accepted: requests signed with another access key get {@code 403
     * UnrecognizedClientException}, with another secret {@code 403 InvalidSignatureException}.
     *
     * @throws IllegalArgumentException if either is blank
     */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
        throw new IllegalArgumentException("accessKeyId and secretAccessKey must not be blank");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = secretAccessKey;
      return this;
    }

    /**
     * The region requests must be signed for; also part of every function ARN.
     *
     * @throws IllegalArgumentException if it does not look like a region (e.g. {@code us-east-1})
     */
    public Builder region(String region) {
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("not a region name: " + region);
      }
      this.region = region;
      return this;
    }

    /**
     * Instances (child JVMs) per function. Idle instances are reused; when all are busy and this
     * many exist, further invocations wait for one to become free.
     *
     * @throws IllegalArgumentException if {@code max < 1}
     */
    public Builder maxInstancesPerFunction(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxInstancesPerFunction must be >= 1, was " + max);
      }
      this.maxInstancesPerFunction = max;
      return this;
    }

    /**
     * In-flight invocations per function (running or waiting for an instance) beyond which a
     * RequestResponse Invoke answers {@code 429 TooManyRequestsException} ({@code
     * ConcurrentInvocationLimitExceeded}). Event invocations count as in flight but, queued as in
     * Lambda, are never refused.
     *
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public Builder concurrencyLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("concurrencyLimit must be >= 1, was " + limit);
      }
      this.concurrencyLimit = limit;
      return this;
    }

    /**
     * Environment variables added to every child JVM (e.g. {@code AWS_ACCESS_KEY_ID}), standing in
     * for the execution role. They override the function's own variables; the runtime's reserved
     * variables ({@code AWS_LAMBDA_RUNTIME_API}, {@code _HANDLER}, ...) cannot be overridden.
     * Replaces any earlier value.
     */
    public Builder instanceEnvironment(Map<String, String> environment) {
      this.instanceEnvironment.clear();
      this.instanceEnvironment.putAll(environment);
      return this;
    }

    /**
     * How long a new function stays {@code Pending} and an update {@code InProgress}, so that
     * waiters really wait: the transition completes after this delay and once a client has read the
     * transitional state (GetFunction or GetFunctionConfiguration) at least once, whatever the
     * machine's load. Zero makes both transitions immediate.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder stateTransitionDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("stateTransitionDelay must not be negative");
      }
      this.stateTransitionDelay = delay;
      return this;
    }

    /**
     * The JDK that runs child JVMs. Default: the emulator's own {@code java.home}.
     *
     * @throws IllegalArgumentException if {@code javaHome/bin/java} is not executable
     */
    public Builder javaHome(Path javaHome) {
      if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
        throw new IllegalArgumentException("no executable bin/java under " + javaHome);
      }
      this.javaHome = javaHome;
      return this;
    }

    /**
     * The jars of the runtime interface client, appended to each child JVM's classpath. Default:
     * the entries of {@code java.class.path} whose file name contains {@code
     * aws-lambda-java-runtime-interface-client}, {@code aws-lambda-java-serialization}, {@code
     * aws-lambda-java-core} or {@code utils-lite}, completed with the jars these classes were
     * loaded from in this JVM.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder runtimeClasspath(String classpath) {
      if (classpath.isBlank()) {
        throw new IllegalArgumentException("runtimeClasspath must not be blank");
      }
      this.runtimeClasspath = classpath;
      return this;
    }

    /** How to read {@code Code.S3Bucket}/{@code Code.S3Key}; default: none (400). */
    public Builder codeFetcher(CodeFetcher codeFetcher) {
      this.codeFetcher = Objects.requireNonNull(codeFetcher, "codeFetcher");
      return this;
    }

    /** Seed of the fault-injection randomness. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws NullPointerException if no credentials were set
     */
    public EmulatorOptions build() {
      return new EmulatorOptions(this);
    }
  }
}
