package dev.quarry.backend.internal.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names of a pool's Kubernetes objects. Tenant and profile names may hold characters Kubernetes
 * names refuse, so objects are named by a hash of both; labels carry the names themselves when they
 * are valid label values, else their hash.
 *
 * @param pool 12 hex digits of SHA-256 over {@code tenant/profile}
 */
record PoolNames(String pool) {
  private static final Pattern LABEL_VALUE =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  static PoolNames of(String tenant, String profile) {
    return new PoolNames(hash(tenant + "/" + profile));
  }

  String job(int generation) {
    return "quarry-w-" + pool + "-" + generation;
  }

  String secret() {
    return "quarry-w-" + pool + "-token";
  }

  static String labelValue(String name) {
    return LABEL_VALUE.matcher(name).matches() ? name : "h-" + hash(name);
  }

  private static String hash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
