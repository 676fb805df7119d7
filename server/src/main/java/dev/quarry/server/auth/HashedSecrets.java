package dev.quarry.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues and hashes the secrets of {@link HashedSecretEntity} rows: {@code
 * <kind>_<prefix>_<secret>} with a random 6-byte prefix and 24-byte secret (URL-safe Base64 without
 * '_').
 */
public final class HashedSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private HashedSecrets() {}

  /** A new secret: its public prefix, the whole text (shown once) and its SHA-256 (stored). */
  public record Issued(String prefix, String secret, byte[] hash) {}

  /** A new secret of {@code kind} ({@code qk} for API keys, {@code qw} for worker tokens). */
  public static Issued issue(String kind) {
    String prefix = randomToken(6);
    String secret = kind + "_" + prefix + "_" + randomToken(24);
    return new Issued(prefix, secret, sha256(secret));
  }

  /** The SHA-256 of {@code s} in UTF-8. */
  public static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('_', 'x');
  }
}
