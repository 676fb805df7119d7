package dev.quarry.backend.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of {@link LambdaBackends#create}. Credentials are optional: without them the AWS SDK
 * default chain is used. {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * LambdaBackendOptions options = LambdaBackendOptions.builder()
 *     .region("eu-west-1")
 *     .credentials(accessKeyId, secretAccessKey, null)
 *     .runtime(new RuntimeSpec(2048, 300, "x86_64", roleArn, Map.of()))
 *     .workerPackage(WorkerPackage.fromClasspath(loader))
 *     .concurrency(500)
 *     .build();
 * }</pre>
 *
 * <p>Long because an options class with a builder: every setting is documented and validated here.
 */
public final class LambdaBackendOptions {
  public static final int DEFAULT_CONCURRENCY = 100;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Added to the function timeout to bound one invoke call. */
  public static final Duration DEFAULT_INVOKE_GRACE = Duration.ofSeconds(30);

  /** How long after an invocation's deadline its pre-signed URLs stay valid, by default. */
  public static final Duration DEFAULT_GRANT_GRACE = Duration.ofMinutes(1);

  static final Duration MAX_GRANT_GRACE = Duration.ofMinutes(15);

  private final String region;
  private final @Nullable URI endpoint;
  private final @Nullable String accessKeyId;
  private final @Nullable String secretAccessKey;
  private final @Nullable String sessionToken;
  private final int concurrency;
  private final RuntimeSpec runtime;
  private final WorkerPackage workerPackage;
  private final Duration connectTimeout;
  private final Duration invokeGrace;
  private final Duration grantGrace;
  private final dev.quarry.storage.@Nullable ObjectStore store;
  private final @Nullable StorageTokens storageTokens;

  private LambdaBackendOptions(Builder b) {
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
    this.sessionToken = b.sessionToken;
    this.concurrency = b.concurrency;
    this.runtime = Objects.requireNonNull(b.runtime, "runtime");
    this.workerPackage = Objects.requireNonNull(b.workerPackage, "workerPackage");
    this.connectTimeout = b.connectTimeout;
    this.invokeGrace = b.invokeGrace;
    this.grantGrace = b.grantGrace;
    this.store = b.store;
    this.storageTokens = b.storageTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String region() {
    return region;
  }

  /** An endpoint other than AWS's (a local emulator), or null. */
  public @Nullable URI endpoint() {
    return endpoint;
  }

  public @Nullable String accessKeyId() {
    return accessKeyId;
  }

  public @Nullable String secretAccessKey() {
    return secretAccessKey;
  }

  public @Nullable String sessionToken() {
    return sessionToken;
  }

  /** Invocations in flight at most; also the size of the HTTP connection pool. */
  public int concurrency() {
    return concurrency;
  }

  public RuntimeSpec runtime() {
    return runtime;
  }

  public WorkerPackage workerPackage() {
    return workerPackage;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration invokeGrace() {
    return invokeGrace;
  }

  /**
   * How long after an invocation's deadline the pre-signed URLs of its envelope stay valid (they
   * must outlive a worker still writing its last result at the deadline, and clock skew).
   */
  public Duration grantGrace() {
    return grantGrace;
  }

  /**
   * The store whose objects workers reach through pre-signed URLs in each envelope, for exactly the
   * invocation's objects; envelopes then carry storage type {@code granted} and no settings, and
   * the worker function needs no storage permissions. When absent, workers open the store named in
   * the envelope with their execution role.
   */
  public java.util.Optional<dev.quarry.storage.ObjectStore> store() {
    return java.util.Optional.ofNullable(store);
  }

  /**
   * Issues each invocation a token for its tenant's Storage API (context functions), revoked when
   * the invocation ends; when absent, context functions get no storage.
   */
  public java.util.Optional<StorageTokens> storageTokens() {
    return java.util.Optional.ofNullable(storageTokens);
  }

  /** The function invocations go to. */
  public String functionName() {
    return runtime.functionName(workerPackage.version());
  }

  @Override
  public String toString() {
    return "LambdaBackendOptions[region="
        + region
        + ", endpoint="
        + endpoint
        + ", credentials="
        + (accessKeyId == null ? "default chain" : "static (redacted)")
        + ", concurrency="
        + concurrency
        + ", runtime="
        + runtime
        + ", package="
        + workerPackage
        + "]";
  }

  /** Builder; every setter validates its argument. */
  public static final class Builder {
    private String region = "us-east-1";
    private @Nullable URI endpoint;
    private @Nullable String accessKeyId;
    private @Nullable String secretAccessKey;
    private @Nullable String sessionToken;
    private int concurrency = DEFAULT_CONCURRENCY;
    private @Nullable RuntimeSpec runtime;
    private @Nullable WorkerPackage workerPackage;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration invokeGrace = DEFAULT_INVOKE_GRACE;
    private Duration grantGrace = DEFAULT_GRANT_GRACE;
    private dev.quarry.storage.@Nullable ObjectStore store;
    private @Nullable StorageTokens storageTokens;

    private Builder() {}

    /** See {@link LambdaBackendOptions#store()}; null to let workers use their execution role. */
    public Builder store(dev.quarry.storage.@Nullable ObjectStore store) {
      this.store = store;
      return this;
    }

    /** See {@link LambdaBackendOptions#storageTokens()}; null: context functions get no storage. */
    public Builder storageTokens(@Nullable StorageTokens storageTokens) {
      this.storageTokens = storageTokens;
      return this;
    }

    public Builder region(String region) {
      if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
        throw new IllegalArgumentException("region must look like eu-west-1, got '" + region + "'");
      }
      this.region = region;
      return this;
    }

    public Builder endpoint(@Nullable URI endpoint) {
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
        throw new IllegalArgumentException(
            "endpoint must be an absolute http(s) URI, got " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** Static credentials; {@code sessionToken} may be null. */
    public Builder credentials(
        String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
      if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
        throw new IllegalArgumentException("accessKeyId and secretAccessKey must not be blank");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = secretAccessKey;
      this.sessionToken = sessionToken == null || sessionToken.isBlank() ? null : sessionToken;
      return this;
    }

    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 10_000) {
        throw new IllegalArgumentException(
            "concurrency must be between 1 and 10000, got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    public Builder runtime(RuntimeSpec runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder workerPackage(WorkerPackage workerPackage) {
      this.workerPackage = workerPackage;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder invokeGrace(Duration grace) {
      this.invokeGrace = positive(grace, "invokeGrace");
      return this;
    }

    /** See {@link LambdaBackendOptions#grantGrace()}; at least 1 s, at most 15 min. */
    public Builder grantGrace(Duration grace) {
      if (grace.compareTo(Duration.ofSeconds(1)) < 0 || grace.compareTo(MAX_GRANT_GRACE) > 0) {
        throw new IllegalArgumentException(
            "grantGrace must be between 1 s and 15 min, got " + grace);
      }
      this.grantGrace = grace;
      return this;
    }

    public LambdaBackendOptions build() {
      return new LambdaBackendOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
