package dev.quarry.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  static final byte[] K1 = new byte[32];
  static final byte[] K2 = new byte[32];

  static {
    K2[0] = 1;
  }

  @Test
  void sealsWithTheActiveKeyAndOpensWithTheSameAssociatedData() {
    SecretCipher cipher = new SecretCipher(Map.of("k1", K1), "k1");
    SecretCipher.Sealed sealed = cipher.seal("hush".getBytes(StandardCharsets.UTF_8), "t1/name");
    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("hush");
    assertThat(cipher.open(sealed, "t1/name")).asString(StandardCharsets.UTF_8).isEqualTo("hush");
    assertThatThrownBy(() -> cipher.open(sealed, "t2/name"))
        .isInstanceOf(SecretCipher.WrongKeyException.class);
  }

  @Test
  void tamperedOrForeignValuesDoNotOpen() {
    SecretCipher.Sealed sealed =
        new SecretCipher(Map.of("k1", K1), "k1").seal(new byte[] {1, 2, 3}, "a");
    sealed.bytes()[sealed.bytes().length - 1] ^= 1;
    assertThatThrownBy(() -> new SecretCipher(Map.of("k1", K1), "k1").open(sealed, "a"))
        .isInstanceOf(SecretCipher.WrongKeyException.class)
        .hasMessageContaining("k1");
    SecretCipher.Sealed good = new SecretCipher(Map.of("k1", K1), "k1").seal(new byte[] {1}, "a");
    assertThatThrownBy(() -> new SecretCipher(Map.of("k1", K2), "k1").open(good, "a"))
        .isInstanceOf(SecretCipher.WrongKeyException.class);
    assertThatThrownBy(() -> new SecretCipher(Map.of("k2", K2), "k2").open(good, "a"))
        .hasMessageContaining("not configured");
  }

  @Test
  void rotationResealsUnderTheActiveKey() {
    SecretCipher.Sealed old = new SecretCipher(Map.of("k1", K1), "k1").seal("v".getBytes(), "a");
    Map<String, byte[]> both = new LinkedHashMap<>();
    both.put("k1", K1);
    both.put("k2", K2);
    SecretCipher rotating = new SecretCipher(both, "k2");
    SecretCipher.Sealed fresh = rotating.rotate(old, "a");
    assertThat(fresh.keyId()).isEqualTo("k2");
    assertThat(new SecretCipher(Map.of("k2", K2), "k2").open(fresh, "a")).isEqualTo("v".getBytes());
  }

  @Test
  void rejectsBadKeyConfiguration() {
    assertThatThrownBy(() -> new SecretCipher(Map.of("k1", new byte[16]), "k1"))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new SecretCipher(Map.of("k1", K1), "k9")).hasMessageContaining("k9");
    assertThatThrownBy(() -> SecretCipher.parseKeys("k1")).hasMessageContaining("id:base64");
    assertThatThrownBy(() -> SecretCipher.parseKeys("k1:!!!")).hasMessageContaining("base64");
  }
}
