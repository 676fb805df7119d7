package dev.quarry.server.limits;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.cluster.ReplicaShare;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The per-key request rate limit (Resilience4j), applied by the REST filter and gRPC interceptor.
 * It holds across the replicas: with {@code n} alive, each admits the limit over {@code n} seconds.
 */
@Component
public class RequestRateLimiter {
  private final LimitsService limits;
  private final ReplicaShare share;
  private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();

  public RequestRateLimiter(LimitsService limits, ReplicaShare share) {
    this.limits = limits;
    this.share = share;
  }

  /**
   * @throws ApiException RESOURCE_EXHAUSTED when the key used up this second's requests
   */
  public void check(Principal caller) {
    if (caller.role() == Role.OPERATOR) {
      return;
    }
    int rps = limits.of(caller.tenantId()).requestsPerSecond();
    // With n replicas each admits rps requests per n seconds: together rps per second.
    int replicas = share.replicas();
    RateLimiter limiter =
        registry.rateLimiter(
            caller.keyId() + "@" + rps + "/" + replicas,
            RateLimiterConfig.custom()
                .limitForPeriod(rps)
                .limitRefreshPeriod(Duration.ofSeconds(replicas))
                .timeoutDuration(Duration.ZERO)
                .build());
    if (!limiter.acquirePermission()) {
      throw ApiException.overLimit(
          ErrorReason.RATE_LIMITED,
          "requestsPerSecond",
          "rate limit exceeded: requestsPerSecond is "
              + rps
              + " per key for this tenant; retry shortly");
    }
  }
}
