package dev.quarry.server.security;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.limits.RequestRateLimiter;
import dev.quarry.server.storage.FunctionStorageTokens;
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
  private final FunctionStorageTokens storageTokens;

  public BearerAuthenticator(
      ApiKeyService keys, RequestRateLimiter rateLimiter, FunctionStorageTokens storageTokens) {
    this.keys = keys;
    this.rateLimiter = rateLimiter;
    this.storageTokens = storageTokens;
  }

  /**
   * A function storage token ({@code Bearer qf_...}): REST Storage API routes only, which the
   * caller checks.
   *
   * @throws ApiException UNAUTHENTICATED for an unknown, expired or revoked token;
   *     RESOURCE_EXHAUSTED when over the rate limit
   */
  public Principal authenticateStorageToken(String authorization) {
    Principal principal = storageTokens.authenticate(authorization.substring(7).trim());
    rateLimiter.check(principal);
    return principal;
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
