package dev.quarry.server.backend.lambda;

import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.Pricing;
import dev.quarry.server.backend.Setting;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a Lambda profile (or of the default lane when {@code
 * quarry.backend.type=lambda}): {@code region} (required), {@code role}, {@code memory} (MB),
 * {@code timeout} (seconds), {@code architecture}, {@code concurrency}, {@code inlineInputBytes},
 * {@code grantGraceSeconds} (how long after its deadline an invocation's pre-signed URLs stay
 * valid), {@code endpoint} (only when the server allows it), and for cost estimates {@code
 * pricePerGbSecond} and {@code pricePerMillionRequests} (USD; AWS's list prices by default).
 */
public record LambdaSettings(
    String region,
    @Nullable URI endpoint,
    RuntimeSpec runtime,
    int concurrency,
    int inlineInputBytes,
    int grantGraceSeconds) {
  public static final Setting MEMORY = Setting.whole("memory", 128, 10_240, "MB");
  public static final Setting TIMEOUT = Setting.whole("timeout", 1, 900, "seconds");
  public static final Setting CONCURRENCY = Setting.whole("concurrency", 1, 10_000, "invocations");

  /** Inputs up to this size ride inside a Lambda payload; larger ones go through S3. */
  public static final int DEFAULT_INLINE_INPUT_BYTES = 256;

  static final int MAX_INLINE_INPUT_BYTES = 4096;
  public static final Setting INLINE_INPUT_BYTES =
      Setting.whole("inlineInputBytes", 0, MAX_INLINE_INPUT_BYTES, "bytes");

  public static final Setting GRANT_GRACE = Setting.whole("grantGraceSeconds", 1, 900, "seconds");

  /** AWS's list price of a GB-second on x86_64 (us-east-1), in USD. */
  public static final double DEFAULT_PRICE_PER_GB_SECOND = 0.0000166667;

  /** AWS's list price of a GB-second on arm64 (us-east-1), in USD. */
  public static final double DEFAULT_ARM_PRICE_PER_GB_SECOND = 0.0000133334;

  /** AWS's list price of a million requests, in USD. */
  public static final double DEFAULT_PRICE_PER_MILLION_REQUESTS = 0.20;

  public static final Setting PRICE_PER_GB_SECOND =
      Setting.decimal("pricePerGbSecond", 0, 0.01, "USD");
  public static final Setting PRICE_PER_MILLION_REQUESTS =
      Setting.decimal("pricePerMillionRequests", 0, 100, "USD");

  /** The numeric settings of Lambda profiles. */
  public static final List<Setting> RANGES =
      List.of(
          MEMORY,
          TIMEOUT,
          CONCURRENCY,
          INLINE_INPUT_BYTES,
          GRANT_GRACE,
          PRICE_PER_GB_SECOND,
          PRICE_PER_MILLION_REQUESTS);

  static final Set<String> NAMES =
      Set.of(
          "region",
          "endpoint",
          "role",
          "memory",
          "timeout",
          "architecture",
          "concurrency",
          "inlineInputBytes",
          "grantGraceSeconds",
          "pricePerGbSecond",
          "pricePerMillionRequests");

  /**
   * Parses and checks Lambda settings.
   *
   * @throws ApiException INVALID_ARGUMENT naming the first invalid setting
   */
  public static LambdaSettings parse(Map<String, String> s) {
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
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
          || endpoint.getHost() == null) {
        throw ApiException.invalid("setting 'endpoint' must be an absolute http(s) URI");
      }
    }
    RuntimeSpec runtime;
    int memory = MEMORY.intValue(s, RuntimeSpec.DEFAULT_MEMORY_MB);
    int timeout = TIMEOUT.intValue(s, RuntimeSpec.DEFAULT_TIMEOUT_SECONDS);
    try {
      runtime =
          new RuntimeSpec(
              memory,
              timeout,
              s.getOrDefault("architecture", RuntimeSpec.DEFAULT_ARCHITECTURE),
              s.get("role"),
              Map.of());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    int concurrency = CONCURRENCY.intValue(s, 100);
    int inline = INLINE_INPUT_BYTES.intValue(s, DEFAULT_INLINE_INPUT_BYTES);
    int grantGrace = GRANT_GRACE.intValue(s, 60);
    pricing(s);
    return new LambdaSettings(region, endpoint, runtime, concurrency, inline, grantGrace);
  }

  /**
   * The prices cost estimates use: the settings, else AWS's list prices for the architecture.
   *
   * @throws ApiException INVALID_ARGUMENT for a price outside its range
   */
  public static Pricing pricing(Map<String, String> s) {
    boolean arm = "arm64".equals(s.get("architecture"));
    return new Pricing(
        "USD",
        PRICE_PER_GB_SECOND.decimalValue(
            s, arm ? DEFAULT_ARM_PRICE_PER_GB_SECOND : DEFAULT_PRICE_PER_GB_SECOND),
        PRICE_PER_MILLION_REQUESTS.decimalValue(s, DEFAULT_PRICE_PER_MILLION_REQUESTS));
  }
}
