package dev.quarry.server.backend;

import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import java.net.URI;
import java.time.Duration;
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
 */
public final class ProfileSettings {
  static final Set<String> RESILIENCE =
      Set.of("maxAttempts", "failureRateThreshold", "slidingWindowSize", "minimumNumberOfCalls",
          "waitInOpenStateSeconds", "invocationsPerSecond", "maxConcurrentInvocations");
  static final Set<String> LAMBDA =
      Set.of("region", "endpoint", "role", "memory", "timeout", "architecture", "concurrency", "inlineInputBytes");
  /** Inputs up to this size ride inside a Lambda payload; larger ones go through S3. */
  public static final int DEFAULT_INLINE_INPUT_BYTES = 256;
  static final int MAX_INLINE_INPUT_BYTES = 4096;

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
    for (String key : settings.keySet()) {
      if (!allowed.contains(key)) {
        throw ApiException.invalid("unknown setting '" + key + "' for backend " + backend + "; allowed: " + allowed);
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

  /** The resilience options of a profile: its settings over the server's defaults. */
  static ResilienceOptions resilience(QuarryProperties.Resilience d, Map<String, String> s) {
    try {
      ResilienceOptions.Builder b =
          ResilienceOptions.DEFAULT.toBuilder()
              .maxAttempts(integer(s, "maxAttempts", d.maxAttempts()))
              .failureRateThreshold(
                  (float) decimal(s, "failureRateThreshold", d.failureRateThreshold()))
              .slidingWindowSize(integer(s, "slidingWindowSize", d.slidingWindowSize()))
              .minimumNumberOfCalls(integer(s, "minimumNumberOfCalls", d.minimumNumberOfCalls()))
              .waitDurationInOpenState(
                  Duration.ofMillis(
                      (long) (1000 * decimal(s, "waitInOpenStateSeconds",
                          d.waitDurationInOpenState().toMillis() / 1000.0))));
      int perSecond = integer(s, "invocationsPerSecond", d.invocationsPerSecond());
      if (perSecond > 0) {
        b.invocationsPerSecond(perSecond);
      }
      int concurrent = integer(s, "maxConcurrentInvocations", d.maxConcurrentInvocations());
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
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
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
    try {
      runtime =
          new RuntimeSpec(
              integer(s, "memory", RuntimeSpec.DEFAULT_MEMORY_MB),
              integer(s, "timeout", RuntimeSpec.DEFAULT_TIMEOUT_SECONDS),
              s.getOrDefault("architecture", RuntimeSpec.DEFAULT_ARCHITECTURE),
              s.get("role"),
              Map.of());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    int concurrency = integer(s, "concurrency", 100);
    if (concurrency < 1 || concurrency > 10_000) {
      throw ApiException.invalid("setting 'concurrency' must be between 1 and 10000");
    }
    int inline = integer(s, "inlineInputBytes", DEFAULT_INLINE_INPUT_BYTES);
    if (inline < 0 || inline > MAX_INLINE_INPUT_BYTES) {
      throw ApiException.invalid("setting 'inlineInputBytes' must be between 0 and " + MAX_INLINE_INPUT_BYTES);
    }
    return new Lambda(region, endpoint, runtime, concurrency, inline);
  }

  private static int integer(Map<String, String> s, String key, int fallback) {
    String v = s.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid("setting '" + key + "' must be a whole number, got '" + v + "'");
    }
  }

  private static double decimal(Map<String, String> s, String key, double fallback) {
    String v = s.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid("setting '" + key + "' must be a number, got '" + v + "'");
    }
  }
}
