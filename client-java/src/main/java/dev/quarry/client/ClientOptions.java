package dev.quarry.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Connection settings of a {@link FunctionExecutor}. Immutable; build one with {@link #builder()}.
 * Everything is optional: the API key and the server address are looked up in the environment and
 * the config file when not set here (see {@link FunctionExecutor#connect()}).
 *
 * <p>Long because an options class with a builder: every setting is documented and validated here.
 */
public final class ClientOptions {
  /** Default {@link Builder#maxInboundMessageSize(int)}: 64 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 64 << 20;

  /** Default {@link Builder#uploadChunkSize(int)}: 1 MiB. */
  public static final int DEFAULT_UPLOAD_CHUNK_SIZE = 1 << 20;

  /** Default {@link Builder#uploadConcurrency(int)}. */
  public static final int DEFAULT_UPLOAD_CONCURRENCY = 4;

  /** Default {@link Builder#callTimeout(Duration)}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link Builder#reconnectTimeout(Duration)}. */
  public static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofMinutes(5);

  /** Default {@link Builder#classpathRecheckInterval(Duration)}. */
  public static final Duration DEFAULT_CLASSPATH_RECHECK_INTERVAL = Duration.ofSeconds(1);

  /** Default {@link Builder#progress(Progress)}. */
  public static final Progress DEFAULT_PROGRESS = Progress.AUTO;

  /** All defaults. */
  public static final ClientOptions DEFAULT = builder().build();

  private final @Nullable String apiKey;
  private final @Nullable String profile;
  private final @Nullable Path configFile;
  private final int maxInboundMessageSize;
  private final int uploadChunkSize;
  private final int uploadConcurrency;
  private final Duration callTimeout;
  private final Duration reconnectTimeout;
  private final boolean useTls;
  private final @Nullable List<Path> classpath;
  private final Duration classpathRecheckInterval;
  private final Progress progress;

  private ClientOptions(Builder b) {
    this.apiKey = b.apiKey;
    this.profile = b.profile;
    this.configFile = b.configFile;
    this.maxInboundMessageSize = b.maxInboundMessageSize;
    this.uploadChunkSize = b.uploadChunkSize;
    this.uploadConcurrency = b.uploadConcurrency;
    this.callTimeout = b.callTimeout;
    this.reconnectTimeout = b.reconnectTimeout;
    this.useTls = b.useTls;
    this.classpath = b.classpath;
    this.classpathRecheckInterval = b.classpathRecheckInterval;
    this.progress = b.progress;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiKey = apiKey;
    b.profile = profile;
    b.configFile = configFile;
    b.maxInboundMessageSize = maxInboundMessageSize;
    b.uploadChunkSize = uploadChunkSize;
    b.uploadConcurrency = uploadConcurrency;
    b.callTimeout = callTimeout;
    b.reconnectTimeout = reconnectTimeout;
    b.useTls = useTls;
    b.classpath = classpath;
    b.classpathRecheckInterval = classpathRecheckInterval;
    b.progress = progress;
    return b;
  }

  /** The backend profile jobs run on, if set; otherwise the server's default backend. */
  public Optional<String> profile() {
    return Optional.ofNullable(profile);
  }

  /** The API key set here, if any (it wins over the environment and the config file). */
  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /** The config file set here, if any (it wins over {@code $QUARRY_CONFIG}). */
  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  /** Largest message the client accepts from the server (a result is one message). */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /** Bytes per message when uploading jars and serialized functions. */
  public int uploadChunkSize() {
    return uploadChunkSize;
  }

  /** Blobs uploaded at the same time. */
  public int uploadConcurrency() {
    return uploadConcurrency;
  }

  /** Deadline of each unary call (submit, register, get job, ...). */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** How long a broken result stream keeps reconnecting before its futures fail. */
  public Duration reconnectTimeout() {
    return reconnectTimeout;
  }

  /** Whether to connect with TLS (also implied by an {@code https://} target). */
  public boolean useTls() {
    return useTls;
  }

  /**
   * The classpath entries shipped with functions, if set; empty means the entries of the {@code
   * java.class.path} system property.
   */
  public Optional<List<Path>> classpath() {
    return Optional.ofNullable(classpath);
  }

  /** How long a checked classpath is reused before its files are checked for changes again. */
  public Duration classpathRecheckInterval() {
    return classpathRecheckInterval;
  }

  /** Whether waiting for results draws a progress bar on stderr. */
  public Progress progress() {
    return progress;
  }

  @Override
  public String toString() {
    return "ClientOptions{apiKey="
        + (apiKey == null ? "unset" : "***")
        + ", configFile="
        + configFile
        + ", maxInboundMessageSize="
        + maxInboundMessageSize
        + ", uploadChunkSize="
        + uploadChunkSize
        + ", uploadConcurrency="
        + uploadConcurrency
        + ", callTimeout="
        + callTimeout
        + ", reconnectTimeout="
        + reconnectTimeout
        + ", useTls="
        + useTls
        + ", classpath="
        + (classpath == null ? "java.class.path" : classpath)
        + ", classpathRecheckInterval="
        + classpathRecheckInterval
        + ", progress="
        + progress
        + "}";
  }

  /** Builds {@link ClientOptions}; every setter validates its argument. */
  public static final class Builder {
    private @Nullable String apiKey;
    private @Nullable String profile;
    private @Nullable Path configFile;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int uploadChunkSize = DEFAULT_UPLOAD_CHUNK_SIZE;
    private int uploadConcurrency = DEFAULT_UPLOAD_CONCURRENCY;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT;
    private boolean useTls;
    private @Nullable List<Path> classpath;
    private Duration classpathRecheckInterval = DEFAULT_CLASSPATH_RECHECK_INTERVAL;
    private Progress progress = DEFAULT_PROGRESS;

    private Builder() {}

    /**
     * The backend profile (set up by a tenant admin, e.g. {@code aws-prod}) that this executor's
     * jobs run on; {@code null} for the server's default backend.
     *
     * @throws IllegalArgumentException unless 1-63 lower-case letters, digits or '-'
     */
    public Builder profile(@Nullable String profile) {
      if (profile != null && !profile.matches("[a-z][a-z0-9-]{0,62}")) {
        throw new IllegalArgumentException(
            "profile must be 1-63 lower-case letters, digits or '-', starting with a letter");
      }
      this.profile = profile;
      return this;
    }

    /**
     * The API key, sent as {@code authorization: Bearer <key>}; {@code null} to look it up in
     * {@code $QUARRY_API_KEY} and the config file.
     *
     * @throws IllegalArgumentException if the key is blank or contains whitespace or control
     *     characters
     */
    public Builder apiKey(@Nullable String apiKey) {
      if (apiKey != null
          && (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 32 && c < 127))) {
        throw new IllegalArgumentException(
            "apiKey must be non-blank printable ASCII without spaces");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The config file (a properties file with {@code api_key} and {@code grpc_address}); {@code
     * null} for {@code $QUARRY_CONFIG}, {@code -Dquarry.config} or {@code ~/.quarry/config}.
     */
    public Builder configFile(@Nullable Path configFile) {
      this.configFile = configFile;
      return this;
    }

    /**
     * Largest message accepted from the server; results larger than this fail.
     *
     * @throws IllegalArgumentException unless between 1 MiB and 2 GiB - 1
     */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "maxInboundMessageSize must be at least 1 MiB (1048576), got " + bytes);
      }
      this.maxInboundMessageSize = bytes;
      return this;
    }

    /**
     * Bytes per upload message.
     *
     * @throws IllegalArgumentException unless between 16 KiB and 16 MiB
     */
    public Builder uploadChunkSize(int bytes) {
      if (bytes < (16 << 10) || bytes > (16 << 20)) {
        throw new IllegalArgumentException(
            "uploadChunkSize must be between 16 KiB (16384) and 16 MiB (16777216), got " + bytes);
      }
      this.uploadChunkSize = bytes;
      return this;
    }

    /**
     * Blobs uploaded at the same time.
     *
     * @throws IllegalArgumentException unless between 1 and 32
     */
    public Builder uploadConcurrency(int uploads) {
      if (uploads < 1 || uploads > 32) {
        throw new IllegalArgumentException(
            "uploadConcurrency must be between 1 and 32, got " + uploads);
      }
      this.uploadConcurrency = uploads;
      return this;
    }

    /**
     * Deadline of each unary call.
     *
     * @throws IllegalArgumentException unless positive
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive, got " + timeout);
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * How long a broken result stream keeps reconnecting (with backoff) before the futures still
     * waiting on it fail with a {@link QuarryException}.
     *
     * @throws IllegalArgumentException if negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder reconnectTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("reconnectTimeout must not be negative, got " + timeout);
      }
      this.reconnectTimeout = timeout;
      return this;
    }

    /** Connect with TLS (default: plaintext unless the target starts with {@code https://}). */
    public Builder useTls(boolean useTls) {
      this.useTls = useTls;
      return this;
    }

    /**
     * The classpath entries (jars and class directories) to ship with functions, in order; {@code
     * null} for the entries of {@code java.class.path}.
     *
     * @throws NullPointerException if an entry is null
     */
    public Builder classpath(@Nullable List<Path> classpath) {
      this.classpath = classpath == null ? null : List.copyOf(classpath);
      return this;
    }

    /**
     * How long the classpath checked at one call is reused by the next calls before its files (jar
     * sizes and times, class directory trees) are checked for changes again; {@link Duration#ZERO}
     * checks at every call. Checking costs one file-status call per jar plus a walk of each class
     * directory, which adds up for large classpaths; a JVM cannot reload classes it already loaded
     * anyway.
     *
     * @throws IllegalArgumentException if negative
     * @throws NullPointerException if {@code interval} is null
     */
    public Builder classpathRecheckInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException(
            "classpathRecheckInterval must not be negative, got " + interval);
      }
      this.classpathRecheckInterval = interval;
      return this;
    }

    /**
     * Whether {@link FunctionExecutor#getResult} and {@link FunctionExecutor#waitFor} draw a
     * progress bar on stderr: {@link Progress#ON}, {@link Progress#OFF}, or {@link Progress#AUTO}
     * (default: when stderr is a terminal).
     *
     * @throws NullPointerException if {@code progress} is null
     */
    public Builder progress(Progress progress) {
      this.progress = java.util.Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** The options (every value was checked when it was set). */
    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
