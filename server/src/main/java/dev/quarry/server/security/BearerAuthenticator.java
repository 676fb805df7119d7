package dev.quarry.server.security;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.limits.RequestRateLimiter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns an {@code Authorization: Bearer <key>} value into the caller and charges the caller's
 * per-key rate limit. The one authentication step of both REST ({@link BearerKeyFilter}) and gRPC
 * ({@code AuthInterceptor}); the key lookup itself stays in {@link ApiKeyService}.
 */
@Component
public class BearerAuthenticator {
  private final ApiKeyService keys;
  private final RequestRateLimiter rateLimiter;

  public BearerAuthenticator(ApiKeyService keys, RequestRateLimiter rateLimiter) {
    this.keys = keys;
    this.rateLimiter = rateLimiter;
  }

  /**
   * @throws ApiException UNAUTHENTICATED for a missing, malformed, unknown or revoked key;
   *     RESOURCE_EXHAUSTED when the key is over its rate limit
   */
  public Principal authenticate(@Nullable String authorization) {
    Principal principal = keys.authenticate(authorization);
    rateLimiter.check(principal);
    return principal;
  }
}
