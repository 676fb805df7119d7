package dev.quarry.server.backend;

import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every backend profile may carry, whatever its kind: those of its resilience
 * decorator, validated when the profile is written so a bad value is a 400 then, not a failed job
 * later. Each {@link BackendPlugin} checks its own settings.
 *
 * <p>The resilience settings {@code failureRateThreshold}, {@code slidingWindowSize}, {@code
 * minimumNumberOfCalls}, {@code waitInOpenStateSeconds}, {@code invocationsPerSecond}, {@code
 * maxConcurrentInvocations} (defaults: {@code quarry.backend.resilience.*}). {@code maxAttempts} is
 * deprecated: still accepted in its range so older clients and stored profiles keep working, but
 * ignored, because a task's attempts are counted once, by the job's retry policy.
 *
 * <p>Every numeric setting has a range ({@link #RANGES}, documented in the README); a value outside
 * it is refused when written, and refused again when a lane is opened (a row written before the
 * rule existed fails that profile's jobs with a message, nothing else).
 */
public final class ProfileSettings {
  /** Deprecated and ignored; see the class documentation. */
  public static final Setting MAX_ATTEMPTS = Setting.whole("maxAttempts", 1, 10, "attempts");

  public static final Setting FAILURE_RATE_THRESHOLD =
      Setting.decimal("failureRateThreshold", 1, 100, "percent");
  public static final Setting SLIDING_WINDOW_SIZE =
      Setting.whole("slidingWindowSize", 1, 1000, "calls");
  public static final Setting MINIMUM_NUMBER_OF_CALLS =
      Setting.whole("minimumNumberOfCalls", 1, 1000, "calls");
  public static final Setting WAIT_IN_OPEN_STATE_SECONDS =
      Setting.decimal("waitInOpenStateSeconds", 1, 3600, "seconds");
  public static final Setting INVOCATIONS_PER_SECOND =
      Setting.whole("invocationsPerSecond", 1, 10_000, "per second");
  public static final Setting MAX_CONCURRENT_INVOCATIONS =
      Setting.whole("maxConcurrentInvocations", 1, 10_000, "invocations");

  /** The numeric settings every backend accepts. */
  public static final List<Setting> RANGES =
      List.of(
          MAX_ATTEMPTS,
          FAILURE_RATE_THRESHOLD,
          SLIDING_WINDOW_SIZE,
          MINIMUM_NUMBER_OF_CALLS,
          WAIT_IN_OPEN_STATE_SECONDS,
          INVOCATIONS_PER_SECOND,
          MAX_CONCURRENT_INVOCATIONS);

  /** The names of the settings every backend accepts. */
  public static final Set<String> RESILIENCE =
      Set.of(
          "maxAttempts",
          "failureRateThreshold",
          "slidingWindowSize",
          "minimumNumberOfCalls",
          "waitInOpenStateSeconds",
          "invocationsPerSecond",
          "maxConcurrentInvocations");

  private static final Logger log = LoggerFactory.getLogger(ProfileSettings.class);
  private static final QuarryProperties.Resilience BUILT_IN =
      new QuarryProperties.Resilience(null, 50, 20, 10, Duration.ofSeconds(30), 0, 0);

  private ProfileSettings() {}

  /**
   * Checks the common settings of a profile against the built-in defaults.
   *
   * @throws ApiException INVALID_ARGUMENT naming the first invalid setting
   */
  public static void validateResilience(Map<String, String> settings) {
    MAX_ATTEMPTS.intValue(settings, 1);
    resilience(BUILT_IN, settings);
  }

  /**
   * Checks the server's own defaults ({@code quarry.backend.resilience.*}) at start-up against the
   * same ranges (0 meaning "no limit" for the two rate settings).
   *
   * @throws IllegalStateException naming the first property out of range
   */
  public static void requireValidDefaults(QuarryProperties.Resilience r) {
    String p = "quarry.backend.resilience.";
    if (r.maxAttempts() != null) {
      MAX_ATTEMPTS.requireInRange(p + "max-attempts", r.maxAttempts());
      log.warn(
          "{}max-attempts is deprecated and ignored: attempts are counted by the job's retry"
              + " policy (quarry.dispatch.default-max-attempts and each job's maxAttempts)",
          p);
    }
    FAILURE_RATE_THRESHOLD.requireInRange(p + "failure-rate-threshold", r.failureRateThreshold());
    SLIDING_WINDOW_SIZE.requireInRange(p + "sliding-window-size", r.slidingWindowSize());
    MINIMUM_NUMBER_OF_CALLS.requireInRange(p + "minimum-number-of-calls", r.minimumNumberOfCalls());
    WAIT_IN_OPEN_STATE_SECONDS.requireInRange(
        p + "wait-duration-in-open-state (seconds)",
        r.waitDurationInOpenState().toMillis() / 1000.0);
    if (r.invocationsPerSecond() != 0) {
      INVOCATIONS_PER_SECOND.requireInRange(p + "invocations-per-second", r.invocationsPerSecond());
    }
    if (r.maxConcurrentInvocations() != 0) {
      MAX_CONCURRENT_INVOCATIONS.requireInRange(
          p + "max-concurrent-invocations", r.maxConcurrentInvocations());
    }
    if (r.minimumNumberOfCalls() > r.slidingWindowSize()) {
      throw new IllegalStateException(
          p + "minimum-number-of-calls must not exceed sliding-window-size");
    }
  }

  /**
   * The resilience options of a profile: its settings over the server's defaults.
   *
   * @throws ApiException INVALID_ARGUMENT naming the first invalid setting
   */
  public static ResilienceOptions resilience(QuarryProperties.Resilience d, Map<String, String> s) {
    int window = SLIDING_WINDOW_SIZE.intValue(s, d.slidingWindowSize());
    int minimum = MINIMUM_NUMBER_OF_CALLS.intValue(s, Math.min(d.minimumNumberOfCalls(), window));
    if (minimum > window) {
      throw ApiException.invalid(
          "setting 'minimumNumberOfCalls' ("
              + minimum
              + ") must not exceed 'slidingWindowSize' ("
              + window
              + ")");
    }
    double waitSeconds =
        WAIT_IN_OPEN_STATE_SECONDS.decimalValue(s, d.waitDurationInOpenState().toMillis() / 1000.0);
    try {
      ResilienceOptions.Builder b =
          ResilienceOptions.DEFAULT.toBuilder()
              .failureRateThreshold(
                  (float) FAILURE_RATE_THRESHOLD.decimalValue(s, d.failureRateThreshold()))
              .slidingWindowSize(window)
              .minimumNumberOfCalls(minimum)
              .waitDurationInOpenState(Duration.ofMillis(Math.round(1000 * waitSeconds)));
      int perSecond = INVOCATIONS_PER_SECOND.intValue(s, d.invocationsPerSecond());
      if (perSecond > 0) {
        b.invocationsPerSecond(perSecond);
      }
      int concurrent = MAX_CONCURRENT_INVOCATIONS.intValue(s, d.maxConcurrentInvocations());
      if (concurrent > 0) {
        b.maxConcurrentInvocations(concurrent);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid resilience setting: " + e.getMessage());
    }
  }
}
