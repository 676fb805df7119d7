package dev.quarry.backend.lambda;

import java.time.Instant;

/**
 * Per-invocation tokens with which a worker that has no channel to the server (Lambda) reaches its
 * tenant's Storage API objects: the server's REST Storage API ({@code /v1/storage/**}) and nothing
 * else, as the invocation's tenant, until the token expires or is revoked. The implementation keeps
 * only a hash of each token and never logs it.
 *
 * <pre>{@code
 * Access a = tokens.issue("t1", invocationId, deadline.plusSeconds(60));
 * // ... the worker calls a.url() + "/v1/storage/..." with "Authorization: Bearer " + a.token()
 * tokens.revoke(invocationId); // when the invocation ends
 * }</pre>
 */
public interface StorageTokens {

  /**
   * A token for the tenant's Storage API, valid until {@code expiresAt} or until revoked.
   *
   * @return the server's public URL and the token, or {@link Access#unavailable} with the reason
   *     (e.g. the server has no public URL set)
   * @throws RuntimeException when the token cannot be stored (the invocation should be retried)
   */
  Access issue(String tenant, String invocationId, Instant expiresAt);

  /** Revokes the token of the invocation, if any; never throws. */
  void revoke(String invocationId);

  /**
   * @param url the server's public base URL ("" when unavailable)
   * @param token the bearer token ("" when unavailable); a secret
   * @param unavailable why there is no token ("" when there is one)
   */
  record Access(String url, String token, String unavailable) {
    public static Access unavailable(String reason) {
      return new Access("", "", reason);
    }

    @Override
    public String toString() {
      return "Access[url=" + url + ", unavailable=" + unavailable + "]";
    }
  }
}
