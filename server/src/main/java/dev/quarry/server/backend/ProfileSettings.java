package dev.quarry.server.backend;

import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.JsonErrors;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The settings a backend profile may carry, validated when the profile is written so a bad value
 * is a 400 then, not a failed job later.
 *
 * <p>Every profile: the resilience settings {@code maxAttempts}, {@code failureRateThreshold},
 * {@code slidingWindowSize}, {@code minimumNumberOfCalls}, {@code waitInOpenStateSeconds}, {@code
 * invocationsPerSecond}, {@code maxConcurrentInvocations} (defaults: {@code
 * quarry.backend.resilience.*}). Lambda profiles also: {@code region} (required), {@code role},
 * {@code memory} (MB), {@code timeout} (seconds), {@code architecture}, {@code concurrency}, {@code
 * inlineInputBytes}, {@code endpoint} (only when the server allows it).
 *
 * <p>Every numeric setting has a range ({@link #RANGES}, documented in the README); a value
 * outside it is refused when written, and refused again when a lane is opened (a row written
 * before the rule existed fails that profile's jobs with a message, nothing else).
 */
public final class ProfileSettings {
  public static final Setting MAX_ATTEMPTS = Setting.whole("maxAttempts", 1, 10, "attempts");
  public static final Setting FAILURE_RATE_THRESHOLD =
      Setting.decimal("failureRateThreshold", 1, 100, "percent");
  public static final Setting SLIDING_WINDOW_SIZE = Setting.whole("slidingWindowSize", 1, 1000, "calls");
  public static final Setting MINIMUM_NUMBER_OF_CALLS =
      Setting.whole("minimumNumberOfCalls", 1, 1000, "calls");
  public static final Setting WAIT_IN_OPEN_STATE_SECONDS =
      Setting.decimal("waitInOpenStateSeconds", 1, 3600, "seconds");
  public static final Setting INVOCATIONS_PER_SECOND =
      Setting.whole("invocationsPerSecond", 1, 10_000, "per second");
  public static final Setting MAX_CONCURRENT_INVOCATIONS =
      Setting.whole("maxConcurrentInvocations", 1, 10_000, "invocations");
  public static final Setting MEMORY = Setting.whole("memory", 128, 10_240, "MB");
  public static final Setting TIMEOUT = Setting.whole("timeout", 1, 900, "seconds");
  public static final Setting CONCURRENCY = Setting.whole("concurrency", 1, 10_000, "invocations");
  /** Inputs up to this size ride inside a Lambda payload; larger ones go through S3. */
  public static final int DEFAULT_INLINE_INPUT_BYTES = 256;
  static final int MAX_INLINE_INPUT_BYTES = 4096;
  public static final Setting INLINE_INPUT_BYTES =
      Setting.whole("inlineInputBytes", 0, MAX_INLINE_INPUT_BYTES, "bytes");

  /** The numeric settings of every backend, then those of Lambda only. */
  public static final List<Setting> RANGES =
      List.of(MAX_ATTEMPTS, FAILURE_RATE_THRESHOLD, SLIDING_WINDOW_SIZE, MINIMUM_NUMBER_OF_CALLS,
          WAIT_IN_OPEN_STATE_SECONDS, INVOCATIONS_PER_SECOND, MAX_CONCURRENT_INVOCATIONS, MEMORY,
          TIMEOUT, CONCURRENCY, INLINE_INPUT_BYTES);

  static final Set<String> RESILIENCE =
      Set.of("maxAttempts", "failureRateThreshold", "slidingWindowSize", "minimumNumberOfCalls",
          "waitInOpenStateSeconds", "invocationsPerSecond", "maxConcurrentInvocations");
  static final Set<String> LAMBDA =
      Set.of("region", "endpoint", "role", "memory", "timeout", "architecture", "concurrency", "inlineInputBytes");
  private static final int MAX_TEXT = 2048;

  private ProfileSettings() {}

  /** Lambda settings of a profile. */
  public record Lambda(
      String region, @Nullable URI endpoint, RuntimeSpec runtime, int concurrency, int inlineInputBytes) {}

  /**
   * @throws ApiException INVALID_ARGUMENT naming the first unknown or invalid setting
   */
  public static void validate(String backend, Map<String, String> settings, boolean allowEndpoint) {
    Set<String> allowed = new TreeSet<>(RESILIENCE);
    if (backend.equals("lambda")) {
      allowed.addAll(LAMBDA);
    }
    for (var e : settings.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw ApiException.invalid(
            "unknown setting '" + JsonErrors.clip(e.getKey()) + "' for backend " + backend + "; allowed: " + allowed);
      }
      if (e.getValue().length() > MAX_TEXT) {
        throw ApiException.invalid("setting '" + e.getKey() + "' is longer than " + MAX_TEXT + " characters");
      }
    }
    resilience(new QuarryProperties.Resilience(3, 50, 20, 10, Duration.ofSeconds(30), 0, 0), settings);
    if (backend.equals("lambda")) {
      if (settings.containsKey("endpoint") && !allowEndpoint) {
        throw ApiException.invalid(
            "setting 'endpoint' is disabled on this server (quarry.lambda.allow-endpoint-override)");
      }
      lambda(settings);
    }
  }

  /**
   * Checks the server's own defaults ({@code quarry.backend.resilience.*}) at start-up against
   * the same ranges (0 meaning "no limit" for the two rate settings).
   *
   * @throws IllegalStateException naming the first property out of range
   */
  public static void requireValidDefaults(QuarryProperties.Resilience r) {
    String p = "quarry.backend.resilience.";
    MAX_ATTEMPTS.requireInRange(p + "max-attempts", r.maxAttempts());
    FAILURE_RATE_THRESHOLD.requireInRange(p + "failure-rate-threshold", r.failureRateThreshold());
    SLIDING_WINDOW_SIZE.requireInRange(p + "sliding-window-size", r.slidingWindowSize());
    MINIMUM_NUMBER_OF_CALLS.requireInRange(p + "minimum-number-of-calls", r.minimumNumberOfCalls());
    WAIT_IN_OPEN_STATE_SECONDS.requireInRange(
        p + "wait-duration-in-open-state (seconds)", r.waitDurationInOpenState().toMillis() / 1000.0);
    if (r.invocationsPerSecond() != 0) {
      INVOCATIONS_PER_SECOND.requireInRange(p + "invocations-per-second", r.invocationsPerSecond());
    }
    if (r.maxConcurrentInvocations() != 0) {
      MAX_CONCURRENT_INVOCATIONS.requireInRange(p + "max-concurrent-invocations", r.maxConcurrentInvocations());
    }
    if (r.minimumNumberOfCalls() > r.slidingWindowSize()) {
      throw new IllegalStateException(p + "minimum-number-of-calls must not exceed sliding-window-size");
    }
  }

  /** The resilience options of a profile: its settings over the server's defaults. */
  static ResilienceOptions resilience(QuarryProperties.Resilience d, Map<String, String> s) {
    int window = SLIDING_WINDOW_SIZE.intValue(s, d.slidingWindowSize());
    int minimum = MINIMUM_NUMBER_OF_CALLS.intValue(s, Math.min(d.minimumNumberOfCalls(), window));
    if (minimum > window) {
      throw ApiException.invalid(
          "setting 'minimumNumberOfCalls' (" + minimum + ") must not exceed 'slidingWindowSize' (" + window + ")");
    }
    double waitSeconds =
        WAIT_IN_OPEN_STATE_SECONDS.decimalValue(s, d.waitDurationInOpenState().toMillis() / 1000.0);
    try {
      ResilienceOptions.Builder b =
          ResilienceOptions.DEFAULT.toBuilder()
              .maxAttempts(MAX_ATTEMPTS.intValue(s, d.maxAttempts()))
              .failureRateThreshold((float) FAILURE_RATE_THRESHOLD.decimalValue(s, d.failureRateThreshold()))
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

  /** The Lambda settings of a profile. */
  static Lambda lambda(Map<String, String> s) {
    String region = s.get("region");
    if (region == null || region.length() > 32 || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw ApiException.invalid("lambda profiles need setting 'region' (like eu-west-1)");
    }
    URI endpoint = null;
    if (s.containsKey("endpoint")) {
      try {
        endpoint = URI.create(s.get("endpoint"));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("setting 'endpoint' is not a URI");
      }
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
        throw ApiException.invalid("setting 'endpoint' must be an absolute http(s) URI");
      }
    }
    RuntimeSpec runtime;
    int memory = MEMORY.intValue(s, RuntimeSpec.DEFAULT_MEMORY_MB);
    int timeout = TIMEOUT.intValue(s, RuntimeSpec.DEFAULT_TIMEOUT_SECONDS);
    try {
      runtime =
          new RuntimeSpec(
              memory, timeout, s.getOrDefault("architecture", RuntimeSpec.DEFAULT_ARCHITECTURE),
              s.get("role"), Map.of());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    int concurrency = CONCURRENCY.intValue(s, 100);
    int inline = INLINE_INPUT_BYTES.intValue(s, DEFAULT_INLINE_INPUT_BYTES);
    return new Lambda(region, endpoint, runtime, concurrency, inline);
  }
}
