package dev.quarry.server.storage;

import dev.quarry.backend.lambda.StorageTokens;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Per-invocation Storage API tokens for workers that have no channel to the server (Lambda, ADR
 * 0024): {@code qf_<secret>}, stored as SHA-256 only, scoped to the invocation's tenant, accepted
 * only on the REST routes {@code /v1/storage/**} (the HTTP chain checks the route) with the member
 * role, valid until the invocation's deadline plus grace and deleted when it ends. Never logged.
 */
@Service
public class FunctionStorageTokens implements StorageTokens {
  /** What every function storage token starts with. */
  public static final String PREFIX = "qf_";

  private static final Logger log = LoggerFactory.getLogger(FunctionStorageTokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_TOKEN_LENGTH = 128;
  private static final Duration MAX_LIFETIME = Duration.ofHours(1);
  private static final int SWEEP_EVERY = 256;

  private final JdbcClient jdbc;
  private final Clock clock;
  private final String publicUrl;
  private final AtomicLong issued = new AtomicLong();

  public FunctionStorageTokens(JdbcClient jdbc, Clock clock, QuarryProperties props) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.publicUrl = props.publicUrl();
  }

  /**
   * @param expiresAt capped at one hour from now (Lambda runs at most 15 minutes)
   */
  @Override
  public Access issue(String tenant, String invocationId, Instant expiresAt) {
    if (publicUrl.isEmpty()) {
      return Access.unavailable(
          "functions on Lambda reach storage by calling the server back, and the server has no"
              + " public URL: set quarry.public-url (QUARRY_PUBLIC_URL) to the address Lambda"
              + " reaches it at");
    }
    if (issued.incrementAndGet() % SWEEP_EVERY == 0) {
      sweep();
    }
    Instant now = clock.instant();
    Instant until = expiresAt.isAfter(now.plus(MAX_LIFETIME)) ? now.plus(MAX_LIFETIME) : expiresAt;
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    jdbc.sql(
            "insert into function_storage_tokens"
                + " (token_hash, id, tenant_id, invocation_id, expires_at) values (?, ?, ?, ?, ?)")
        .params(sha256(token), UUID.randomUUID(), tenant, invocationId, Timestamp.from(until))
        .update();
    return new Access(publicUrl, token, "");
  }

  @Override
  public void revoke(String invocationId) {
    try {
      jdbc.sql("delete from function_storage_tokens where invocation_id = ?")
          .param(invocationId)
          .update();
    } catch (RuntimeException e) {
      // the token still expires with the invocation's deadline
      log.warn(
          "Could not revoke the storage token of invocation {}: {}", invocationId, e.toString());
    }
  }

  /**
   * The caller of a request that presents a function storage token: the invocation's tenant with
   * the member role (read, write, list, delete objects).
   *
   * @throws ApiException UNAUTHENTICATED if malformed, unknown, revoked, expired, or of a disabled
   *     tenant
   */
  public Principal authenticate(String token) {
    if (!token.startsWith(PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
      throw unauthenticated();
    }
    return jdbc.sql(
            "select k.tenant_id from function_storage_tokens k"
                + " join tenants t on t.id = k.tenant_id and t.disabled_at is null"
                + " where k.token_hash = ? and k.expires_at > ?")
        .params(sha256(token), Timestamp.from(clock.instant()))
        .query(
            (rs, i) -> {
              String tenant = rs.getString("tenant_id");
              return new Principal(tenant, functionsKeyId(tenant), Role.MEMBER);
            })
        .optional()
        .orElseThrow(FunctionStorageTokens::unauthenticated);
  }

  /**
   * The key id of every function token of {@code tenant}: one rate limit for all of them (a key id
   * per token would leave a limiter behind per invocation).
   */
  static UUID functionsKeyId(String tenant) {
    return UUID.nameUUIDFromBytes(("function-storage:" + tenant).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an {@code Authorization} header carries a function storage token. */
  public static boolean presents(String authorization) {
    return authorization.startsWith("Bearer " + PREFIX);
  }

  private void sweep() {
    try {
      jdbc.sql("delete from function_storage_tokens where expires_at < ?")
          .param(Timestamp.from(clock.instant()))
          .update();
    } catch (RuntimeException e) {
      log.warn("Could not sweep expired function storage tokens: {}", e.toString());
    }
  }

  private static ApiException unauthenticated() {
    return new ApiException(
        ErrorCode.UNAUTHENTICATED, "invalid, expired or revoked function storage token");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
