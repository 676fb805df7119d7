package dev.quarry.server.functions;

import dev.quarry.server.api.ApiException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as lower-case hex. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String of(byte[] data) {
    return hex(sha256().digest(data));
  }

  /**
   * @throws ApiException INVALID_ARGUMENT unless {@code digest} is 64 lower-case hex characters
   */
  public static String require(String digest) {
    if (!SHA256.matcher(digest).matches()) {
      throw ApiException.invalid(
          "digest must be 64 lower-case hex characters (SHA-256), got '"
              + (digest.length() > 80 ? digest.substring(0, 80) + "..." : digest)
              + "'");
    }
    return digest;
  }
}
