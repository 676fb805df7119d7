package dev.quarry.server.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM. Each sealed value is {@code nonce (12 bytes) || ciphertext+tag}
 * and is stored beside the id of the master key that sealed it; the associated data binds it to its
 * row, so a value copied to another tenant or name does not open. New values use the active key;
 * older keys stay configured until {@link #rotate rotation} has resealed everything.
 */
public final class SecretCipher {
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKeySpec> keys;
  private final String activeKeyId;

  /** A sealed value and the id of the key that sealed it. */
  public record Sealed(String keyId, byte[] bytes) {}

  /**
   * @param keys master keys by id, each 32 bytes
   * @param activeKeyId the key new values are sealed with
   * @throws IllegalArgumentException for a missing active key or a key that is not 32 bytes
   */
  public SecretCipher(Map<String, byte[]> keys, String activeKeyId) {
    if (!keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "the active master key '"
              + activeKeyId
              + "' is not among the configured keys "
              + keys.keySet());
    }
    Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
    keys.forEach(
        (id, key) -> {
          if (key.length != 32) {
            throw new IllegalArgumentException(
                "master key '"
                    + id
                    + "' must be 32 bytes (base64 of 32 random bytes), got "
                    + key.length);
          }
          specs.put(id, new SecretKeySpec(key, "AES"));
        });
    this.keys = Map.copyOf(specs);
    this.activeKeyId = activeKeyId;
  }

  /**
   * Parses {@code id:base64,id:base64}.
   *
   * @throws IllegalArgumentException for malformed text
   */
  public static Map<String, byte[]> parseKeys(String text) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String trimmed = part.trim();
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("master keys must read id:base64[,id:base64...]");
      }
      try {
        keys.put(
            trimmed.substring(0, colon), Base64.getDecoder().decode(trimmed.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "master key '" + trimmed.substring(0, colon) + "' is not valid base64");
      }
    }
    return keys;
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  public boolean hasKey(String keyId) {
    return keys.containsKey(keyId);
  }

  public Sealed seal(byte[] plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plaintext);
      return new Sealed(
          activeKeyId, ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * @throws WrongKeyException if the key is not configured or does not open the value
   */
  public byte[] open(Sealed sealed, String associatedData) {
    SecretKeySpec key = keys.get(sealed.keyId());
    if (key == null) {
      throw new WrongKeyException("master key '" + sealed.keyId() + "' is not configured");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, NONCE));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(sealed.bytes(), NONCE, sealed.bytes().length - NONCE);
    } catch (AEADBadTagException e) {
      throw new WrongKeyException(
          "master key '"
              + sealed.keyId()
              + "' does not open this value (wrong key or tampered data)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** Opens with whatever key sealed it and seals again with the active key. */
  public Sealed rotate(Sealed sealed, String associatedData) {
    return sealed.keyId().equals(activeKeyId)
        ? sealed
        : seal(open(sealed, associatedData), associatedData);
  }

  /** A master key is missing or wrong. */
  public static final class WrongKeyException extends RuntimeException {
    public WrongKeyException(String message) {
      super(message);
    }
  }
}
