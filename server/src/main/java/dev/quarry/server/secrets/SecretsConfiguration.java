package dev.quarry.server.secrets;

import dev.quarry.server.QuarryProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cipher for team credentials, from {@code quarry.secrets.master-keys} ({@code
 * QUARRY_SECRETS_MASTER_KEYS}) or, when none is configured, a dev key kept in {@code
 * quarry.home/master-key}. Startup fails with a clear message when a configured key does not open
 * what it sealed before, or when stored credentials need a key that is not configured.
 */
@Configuration(proxyBeanMethods = false)
public class SecretsConfiguration {
  private static final Logger log = LoggerFactory.getLogger(SecretsConfiguration.class);
  private static final byte[] CANARY = "quarry-master-key-canary".getBytes(StandardCharsets.UTF_8);

  @Bean
  SecretCipher secretCipher(QuarryProperties props, JdbcClient jdbc) {
    String text = props.secrets().masterKeys();
    if (text.isBlank()) {
      text = devKey(props.home().resolve("master-key"));
    }
    Map<String, byte[]> keys = SecretCipher.parseKeys(text);
    String active = props.secrets().activeKeyId();
    if (active.isBlank()) {
      active = new ArrayList<>(keys.keySet()).getLast();
    }
    SecretCipher cipher = new SecretCipher(keys, active);
    check(cipher, keys, jdbc);
    return cipher;
  }

  private static void check(SecretCipher cipher, Map<String, byte[]> keys, JdbcClient jdbc) {
    Map<String, byte[]> canaries =
        jdbc.sql("select key_id, sealed from master_key_canaries")
            .query(
                rs -> {
                  Map<String, byte[]> m = new java.util.HashMap<>();
                  while (rs.next()) {
                    m.put(rs.getString(1), rs.getBytes(2));
                  }
                  return m;
                });
    for (var canary : canaries.entrySet()) {
      if (!cipher.hasKey(canary.getKey())) {
        continue;
      }
      try {
        cipher.open(new SecretCipher.Sealed(canary.getKey(), canary.getValue()), "canary");
      } catch (SecretCipher.WrongKeyException e) {
        throw new IllegalStateException(
            "Master key '"
                + canary.getKey()
                + "' is not the key this database's secrets were"
                + " sealed with. Configure the original quarry.secrets.master-keys.");
      }
    }
    var missing =
        jdbc.sql("select distinct key_id from credentials").query(String.class).list().stream()
            .filter(id -> !cipher.hasKey(id))
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Stored credentials are sealed with master key(s) "
              + missing
              + " that are not configured in quarry.secrets.master-keys.");
    }
    for (String id : keys.keySet()) {
      if (!canaries.containsKey(id)) {
        SecretCipher one = new SecretCipher(Map.of(id, keys.get(id)), id);
        jdbc.sql(
                "insert into master_key_canaries (key_id, sealed) values (?, ?) on conflict do nothing")
            .params(id, one.seal(CANARY, "canary").bytes())
            .update();
      }
    }
  }

  private static String devKey(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).trim();
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String text = "dev:" + Base64.getEncoder().encodeToString(key);
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".master-key", ".tmp");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(tmp, text);
      Files.move(tmp, file);
      log.warn("No quarry.secrets.master-keys configured: created a dev master key in {}", file);
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the dev master key " + file, e);
    }
  }
}
