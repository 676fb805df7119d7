package dev.quarry.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a map runs: inputs per invocation, attempts, timeout, label. Immutable; build one with {@link
 * #builder()}.
 *
 * <pre>{@code
 * MapOptions.builder().chunkSize(10).maxAttempts(3).timeout(Duration.ofMinutes(2)).build()
 * }</pre>
 *
 * <p>Long because an options class with a builder: every setting is documented and validated here.
 */
public final class MapOptions {
  /** Inputs per invocation unless set. */
  public static final int DEFAULT_CHUNK_SIZE = 1;

  /** Largest {@link Builder#chunkSize(int)}. */
  public static final int MAX_CHUNK_SIZE = 10_000;

  /** Largest {@link Builder#maxAttempts(int)}. */
  public static final int MAX_ATTEMPTS = 20;

  /** Longest {@link Builder#label(String)}. */
  public static final int MAX_LABEL_LENGTH = 200;

  /** The defaults: chunk size 1, the server's attempts and timeout, no label. */
  public static final MapOptions DEFAULT = builder().build();

  private final int chunkSize;
  private final int maxAttempts;
  private final @Nullable Duration timeout;
  private final boolean retryFunctionErrors;
  private final String label;
  private final double spawnReducerAt;
  private final boolean reducerPerObject;

  private MapOptions(Builder b) {
    this.reducerPerObject = b.reducerPerObject;
    this.spawnReducerAt = b.spawnReducerAt;
    this.chunkSize = b.chunkSize;
    this.maxAttempts = b.maxAttempts;
    this.timeout = b.timeout;
    this.retryFunctionErrors = b.retryFunctionErrors;
    this.label = b.label;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.chunkSize = chunkSize;
    b.maxAttempts = maxAttempts;
    b.timeout = timeout;
    b.retryFunctionErrors = retryFunctionErrors;
    b.label = label;
    b.spawnReducerAt = spawnReducerAt;
    b.reducerPerObject = reducerPerObject;
    return b;
  }

  /** Inputs per invocation (1 to {@value #MAX_CHUNK_SIZE}). */
  public int chunkSize() {
    return chunkSize;
  }

  /** Attempts per input for invocation failures; 0 means the server's default. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Deadline of one invocation; empty means the server's default. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Whether an input whose function threw is retried (within {@link #maxAttempts()}). */
  public boolean retryFunctionErrors() {
    return retryFunctionErrors;
  }

  /** Free-form label shown in job listings (empty if none). */
  public String label() {
    return label;
  }

  /**
   * For {@link FunctionExecutor#mapReduce}: the share of maps done (0..1) when the reducer is
   * submitted; it then streams the remaining results as they arrive. Default 1 (all maps done).
   */
  public double spawnReducerAt() {
    return spawnReducerAt;
  }

  /**
   * For {@link FunctionExecutor#mapReduce} over {@link StoredData}: one reducer per object (or
   * URL), each receiving the results of that object's ranges, instead of one for all. Default
   * false.
   */
  public boolean reducerPerObject() {
    return reducerPerObject;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MapOptions m
        && spawnReducerAt == m.spawnReducerAt
        && reducerPerObject == m.reducerPerObject
        && chunkSize == m.chunkSize
        && maxAttempts == m.maxAttempts
        && Objects.equals(timeout, m.timeout)
        && retryFunctionErrors == m.retryFunctionErrors
        && label.equals(m.label);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        chunkSize,
        maxAttempts,
        timeout,
        retryFunctionErrors,
        label,
        spawnReducerAt,
        reducerPerObject);
  }

  @Override
  public String toString() {
    return "MapOptions{chunkSize="
        + chunkSize
        + ", maxAttempts="
        + (maxAttempts == 0 ? "server default" : maxAttempts)
        + ", timeout="
        + (timeout == null ? "server default" : timeout)
        + ", retryFunctionErrors="
        + retryFunctionErrors
        + ", label='"
        + label
        + "', spawnReducerAt="
        + spawnReducerAt
        + ", reducerPerObject="
        + reducerPerObject
        + "}";
  }

  /** Builds {@link MapOptions}; every setter validates its argument. */
  public static final class Builder {
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private int maxAttempts;
    private @Nullable Duration timeout;
    private boolean retryFunctionErrors;
    private String label = "";
    private double spawnReducerAt = 1;
    private boolean reducerPerObject;

    private Builder() {}

    /**
     * Inputs per invocation: a worker invocation runs this many inputs one after the other.
     *
     * @throws IllegalArgumentException unless 1 &lt;= chunkSize &lt;= {@value #MAX_CHUNK_SIZE}
     */
    public Builder chunkSize(int chunkSize) {
      if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
        throw new IllegalArgumentException(
            "chunkSize must be between 1 and " + MAX_CHUNK_SIZE + ", got " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Attempts per input when an invocation fails (worker crash, timeout; function errors too if
     * {@link #retryFunctionErrors(boolean)}).
     *
     * @throws IllegalArgumentException unless 1 &lt;= maxAttempts &lt;= {@value #MAX_ATTEMPTS}
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Deadline of one invocation (whole chunk); {@code null} for the server's default. The server
     * may reject timeouts above its configured maximum.
     *
     * @throws IllegalArgumentException if the timeout is shorter than 1 millisecond
     */
    public Builder timeout(@Nullable Duration timeout) {
      if (timeout != null && timeout.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(
            "timeout must be at least 1 ms (or null for the server default), got " + timeout);
      }
      if (timeout != null && timeout.compareTo(Duration.ofDays(365)) > 0) {
        throw new IllegalArgumentException("timeout must be at most 365 days, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether to retry an input whose function threw (default false: a function error fails the
     * future at once).
     */
    public Builder retryFunctionErrors(boolean retry) {
      this.retryFunctionErrors = retry;
      return this;
    }

    /**
     * A free-form label shown in listings; {@code null} means none.
     *
     * @throws IllegalArgumentException if longer than {@value #MAX_LABEL_LENGTH} characters
     */
    public Builder label(@Nullable String label) {
      String l = label == null ? "" : label;
      if (l.length() > MAX_LABEL_LENGTH) {
        throw new IllegalArgumentException(
            "label must be at most " + MAX_LABEL_LENGTH + " characters, got " + l.length());
      }
      this.label = l;
      return this;
    }

    /**
     * The share of maps done (0..1) when {@link FunctionExecutor#mapReduce} submits the reducer.
     *
     * @throws IllegalArgumentException if not between 0 and 1
     */
    public Builder spawnReducerAt(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("spawnReducerAt must be between 0 and 1, got " + share);
      }
      this.spawnReducerAt = share;
      return this;
    }

    /**
     * Whether {@link FunctionExecutor#mapReduce} over {@link StoredData} runs one reducer per
     * object (or URL) instead of one for all; {@link MapReduce#reducers()} lists them.
     */
    public Builder reducerPerObject(boolean perObject) {
      this.reducerPerObject = perObject;
      return this;
    }

    /** The options (every value was checked when it was set). */
    public MapOptions build() {
      return new MapOptions(this);
    }
  }
}
