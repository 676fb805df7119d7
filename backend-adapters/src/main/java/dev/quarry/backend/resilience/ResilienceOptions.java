package dev.quarry.backend.resilience;

import java.time.Duration;

/**
 * Settings of {@link ResilientBackends#decorate}. Build with {@link #builder()}; every setter
 * validates its argument.
 *
 * <pre>{@code
 * ResilienceOptions options = ResilienceOptions.DEFAULT.toBuilder()
 *     .maxConcurrentInvocations(64)
 *     .invocationsPerSecond(100)
 *     .build();
 * }</pre>
 *
 * <p>{@link #maxAttempts()} and the backoff settings are deprecated and ignored: the decorator no
 * longer retries (one invocation is at most one call to the backend), so attempts are counted once,
 * by the caller. They are still validated and kept so existing configurations build.
 *
 * <p>Long because an options class with a builder: every setting is documented and validated here.
 */
public final class ResilienceOptions {
  /** Value of {@link #maxConcurrentInvocations()} and {@link #invocationsPerSecond()}: no limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  public static final double DEFAULT_BACKOFF_JITTER = 0.5;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;
  public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;
  public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(30);
  public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;
  public static final int DEFAULT_MAX_CONCURRENT_INVOCATIONS = UNLIMITED;
  public static final int DEFAULT_INVOCATIONS_PER_SECOND = UNLIMITED;
  public static final Duration DEFAULT_RATE_LIMIT_MAX_WAIT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DEADLINE_GRACE = Duration.ofSeconds(30);

  /**
   * Upper bounds: values past them are refused, so no setting can make the decorator allocate, wait
   * or loop without bound (a sliding window is an array of this many slots).
   */
  public static final int MAX_MAX_ATTEMPTS = 100;

  public static final int MAX_SLIDING_WINDOW_SIZE = 100_000;
  public static final Duration MAX_WAIT_DURATION = Duration.ofDays(1);

  /** Largest finite {@link #maxConcurrentInvocations()} and {@link #invocationsPerSecond()}. */
  public static final int MAX_LIMIT = 1_000_000;

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final double backoffJitter;
  private final Duration maxBackoff;
  private final float failureRateThreshold;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration waitDurationInOpenState;
  private final int permittedCallsInHalfOpenState;
  private final int maxConcurrentInvocations;
  private final int invocationsPerSecond;
  private final Duration rateLimitMaxWait;
  private final Duration deadlineGrace;

  /** All defaults. Declared last: it reads the constants above. */
  public static final ResilienceOptions DEFAULT = builder().build();

  private ResilienceOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.backoffJitter = b.backoffJitter;
    this.maxBackoff = b.maxBackoff;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slidingWindowSize = b.slidingWindowSize;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.waitDurationInOpenState = b.waitDurationInOpenState;
    this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
    this.maxConcurrentInvocations = b.maxConcurrentInvocations;
    this.invocationsPerSecond = b.invocationsPerSecond;
    this.rateLimitMaxWait = b.rateLimitMaxWait;
    this.deadlineGrace = b.deadlineGrace;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .backoff(initialBackoff, backoffMultiplier, backoffJitter, maxBackoff)
        .failureRateThreshold(failureRateThreshold)
        .slidingWindowSize(slidingWindowSize)
        .minimumNumberOfCalls(minimumNumberOfCalls)
        .waitDurationInOpenState(waitDurationInOpenState)
        .permittedCallsInHalfOpenState(permittedCallsInHalfOpenState)
        .maxConcurrentInvocations(maxConcurrentInvocations)
        .invocationsPerSecond(invocationsPerSecond)
        .rateLimitMaxWait(rateLimitMaxWait)
        .deadlineGrace(deadlineGrace);
  }

  /**
   * Ignored.
   *
   * @deprecated the decorator does not retry; count attempts in the caller
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Ignored.
   *
   * @deprecated the decorator does not retry
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * Ignored.
   *
   * @deprecated the decorator does not retry
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /**
   * Ignored.
   *
   * @deprecated the decorator does not retry
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public double backoffJitter() {
    return backoffJitter;
  }

  /**
   * Ignored.
   *
   * @deprecated the decorator does not retry
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Failure rate in percent at which a tenant's circuit opens. */
  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  /** Number of recent calls over which the failure rate is computed. */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /** Calls needed in the window before the failure rate is evaluated. */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** How long an open circuit refuses calls before letting trial calls through. */
  public Duration waitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  /** Trial calls let through by a half-open circuit. */
  public int permittedCallsInHalfOpenState() {
    return permittedCallsInHalfOpenState;
  }

  /** Invocations running at once; {@link #UNLIMITED} by default. */
  public int maxConcurrentInvocations() {
    return maxConcurrentInvocations;
  }

  /** Calls to the backend per second; {@link #UNLIMITED} by default. */
  public int invocationsPerSecond() {
    return invocationsPerSecond;
  }

  /** Longest wait for a rate limiter permit before failing with "rate limited". */
  public Duration rateLimitMaxWait() {
    return rateLimitMaxWait;
  }

  /** Time after the envelope's deadline after which an unanswered invocation fails. */
  public Duration deadlineGrace() {
    return deadlineGrace;
  }

  @Override
  public String toString() {
    return "ResilienceOptions{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", backoffMultiplier="
        + backoffMultiplier
        + ", backoffJitter="
        + backoffJitter
        + ", maxBackoff="
        + maxBackoff
        + ", failureRateThreshold="
        + failureRateThreshold
        + ", slidingWindowSize="
        + slidingWindowSize
        + ", minimumNumberOfCalls="
        + minimumNumberOfCalls
        + ", waitDurationInOpenState="
        + waitDurationInOpenState
        + ", permittedCallsInHalfOpenState="
        + permittedCallsInHalfOpenState
        + ", maxConcurrentInvocations="
        + maxConcurrentInvocations
        + ", invocationsPerSecond="
        + invocationsPerSecond
        + ", rateLimitMaxWait="
        + rateLimitMaxWait
        + ", deadlineGrace="
        + deadlineGrace
        + "}";
  }

  /** Builder of {@link ResilienceOptions}; not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private double backoffJitter = DEFAULT_BACKOFF_JITTER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    private Duration waitDurationInOpenState = DEFAULT_WAIT_DURATION_IN_OPEN_STATE;
    private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
    private int maxConcurrentInvocations = DEFAULT_MAX_CONCURRENT_INVOCATIONS;
    private int invocationsPerSecond = DEFAULT_INVOCATIONS_PER_SECOND;
    private Duration rateLimitMaxWait = DEFAULT_RATE_LIMIT_MAX_WAIT;
    private Duration deadlineGrace = DEFAULT_DEADLINE_GRACE;

    private Builder() {}

    /**
     * Ignored (validated for compatibility).
     *
     * @throws IllegalArgumentException if not between 1 and 100
     * @deprecated the decorator does not retry; count attempts in the caller
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public Builder maxAttempts(int maxAttempts) {
      require(
          maxAttempts >= 1 && maxAttempts <= 100,
          "maxAttempts must be between 1 and 100, got " + maxAttempts);
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Ignored (validated for compatibility). Was: exponential backoff between attempts: {@code
     * initial * multiplier^(n-1)}, randomized by {@code ± jitter}, capped at {@code max}.
     *
     * @throws IllegalArgumentException if {@code initial} is not positive, {@code multiplier} is
     *     below 1, {@code jitter} is not in [0, 1), or {@code max} is below {@code initial}
     * @deprecated the decorator does not retry
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public Builder backoff(Duration initial, double multiplier, double jitter, Duration max) {
      require(initial.isPositive(), "initialBackoff must be positive, got " + initial);
      require(
          multiplier >= 1.0 && Double.isFinite(multiplier),
          "backoffMultiplier must be at least 1.0, got " + multiplier);
      require(jitter >= 0.0 && jitter < 1.0, "backoffJitter must be in [0, 1), got " + jitter);
      require(
          max.compareTo(initial) >= 0,
          "maxBackoff must not be below initialBackoff " + initial + ", got " + max);
      require(
          max.compareTo(MAX_WAIT_DURATION) <= 0,
          "maxBackoff must be at most " + MAX_WAIT_DURATION + ", got " + max);
      this.initialBackoff = initial;
      this.backoffMultiplier = multiplier;
      this.backoffJitter = jitter;
      this.maxBackoff = max;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not in (0, 100]
     */
    public Builder failureRateThreshold(float percent) {
      require(
          percent > 0f && percent <= 100f,
          "failureRateThreshold must be in (0, 100] percent, got " + percent);
      this.failureRateThreshold = percent;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 1 and {@link #MAX_SLIDING_WINDOW_SIZE}
     */
    public Builder slidingWindowSize(int calls) {
      require(
          calls >= 1 && calls <= MAX_SLIDING_WINDOW_SIZE,
          "slidingWindowSize must be between 1 and " + MAX_SLIDING_WINDOW_SIZE + ", got " + calls);
      this.slidingWindowSize = calls;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder minimumNumberOfCalls(int calls) {
      require(
          calls >= 1 && calls <= MAX_SLIDING_WINDOW_SIZE,
          "minimumNumberOfCalls must be between 1 and "
              + MAX_SLIDING_WINDOW_SIZE
              + ", got "
              + calls);
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder waitDurationInOpenState(Duration wait) {
      require(
          wait.isPositive() && wait.compareTo(MAX_WAIT_DURATION) <= 0,
          "waitDurationInOpenState must be positive and at most "
              + MAX_WAIT_DURATION
              + ", got "
              + wait);
      this.waitDurationInOpenState = wait;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder permittedCallsInHalfOpenState(int calls) {
      require(
          calls >= 1 && calls <= MAX_SLIDING_WINDOW_SIZE,
          "permittedCallsInHalfOpenState must be between 1 and "
              + MAX_SLIDING_WINDOW_SIZE
              + ", got "
              + calls);
      this.permittedCallsInHalfOpenState = calls;
      return this;
    }

    /**
     * @param max a positive number, or {@link #UNLIMITED}
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxConcurrentInvocations(int max) {
      require(max >= 1, "maxConcurrentInvocations must be positive, got " + max);
      require(
          max <= MAX_LIMIT || max == UNLIMITED,
          "maxConcurrentInvocations must be at most " + MAX_LIMIT + " or UNLIMITED, got " + max);
      this.maxConcurrentInvocations = max;
      return this;
    }

    /**
     * @param perSecond a positive number, or {@link #UNLIMITED}
     * @throws IllegalArgumentException if not positive
     */
    public Builder invocationsPerSecond(int perSecond) {
      require(perSecond >= 1, "invocationsPerSecond must be positive, got " + perSecond);
      require(
          perSecond <= MAX_LIMIT || perSecond == UNLIMITED,
          "invocationsPerSecond must be at most " + MAX_LIMIT + " or UNLIMITED, got " + perSecond);
      this.invocationsPerSecond = perSecond;
      return this;
    }

    /**
     * @throws IllegalArgumentException if negative
     */
    public Builder rateLimitMaxWait(Duration wait) {
      require(
          !wait.isNegative() && wait.compareTo(MAX_WAIT_DURATION) <= 0,
          "rateLimitMaxWait must be between 0 and " + MAX_WAIT_DURATION + ", got " + wait);
      this.rateLimitMaxWait = wait;
      return this;
    }

    /**
     * @throws IllegalArgumentException if negative
     */
    public Builder deadlineGrace(Duration grace) {
      require(
          !grace.isNegative() && grace.compareTo(MAX_WAIT_DURATION) <= 0,
          "deadlineGrace must be between 0 and " + MAX_WAIT_DURATION + ", got " + grace);
      this.deadlineGrace = grace;
      return this;
    }

    /**
     * @throws IllegalArgumentException if minimumNumberOfCalls exceeds slidingWindowSize
     */
    public ResilienceOptions build() {
      require(
          minimumNumberOfCalls <= slidingWindowSize,
          "minimumNumberOfCalls ("
              + minimumNumberOfCalls
              + ") must not exceed slidingWindowSize ("
              + slidingWindowSize
              + ")");
      return new ResilienceOptions(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
