package dev.quarry.worker.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builtin {@code checksum}: lowercase hex SHA-256 of the input's canonical JSON text (object keys
 * sorted, no whitespace).
 */
public final class ChecksumFunction implements Function<@Nullable Object, @Nullable Object> {
  private static final JsonMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  @Override
  public String apply(@Nullable Object input) {
    return sha256Hex(CANONICAL.writeValueAsBytes(input));
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
