package dev.quarry.storage.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.storage.ObjectStores;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AzureBlobSettingsTest {
  private static final String KEY =
      java.util.Base64.getEncoder().encodeToString("SECRET-KEY-BYTES-0123456789".getBytes());
  private static final String SAS = "sv=2026-06-06&sr=c&sp=rl&se=2030-01-01&sig=SECRETSIG%3D";

  private static Map<String, String> valid() {
    return new HashMap<>(Map.of("account", "acct1", "container", "quarry-data", "accountKey", KEY));
  }

  @Test
  void defaultsAndDerivedEndpoint() {
    AzureBlobSettings s = AzureBlobSettings.parse(valid());
    assertThat(s.endpoint()).isEqualTo(URI.create("https://acct1.blob.core.windows.net"));
    assertThat(s.prefix()).isEmpty();
    assertThat(s.blockSize()).isEqualTo(8 * 1024 * 1024);
    assertThat(s.maxSingleUpload()).isEqualTo(32 * 1024 * 1024);
    assertThat(s.maxTries()).isEqualTo(4);
    assertThat(s.listPageSize()).isEqualTo(5000);
    assertThat(s.createContainer()).isFalse();

    Map<String, String> m = valid();
    m.putAll(
        Map.of(
            "endpoint", "http://127.0.0.1:10000/devstoreaccount1/",
            "prefix", "q",
            "blockSize", "4MB",
            "maxSingleUpload", "64KB",
            "createContainer", "TRUE"));
    s = AzureBlobSettings.parse(m);
    assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
    assertThat(s.prefix()).isEqualTo("q/");
    assertThat(s.blockSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(s.maxSingleUpload()).isEqualTo(64 * 1024);
    assertThat(s.createContainer()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "account|AB",
        "account|UPPERCASE",
        "account|has-hyphen",
        "account|waytoolongaccountname12345",
        "container|ab",
        "container|Upper",
        "container|double--hyphen",
        "container|-leading",
        "container|trailing-",
        "container|has/slash",
        "endpoint|ftp://host",
        "endpoint|https://host?sig=x",
        "endpoint|https://user:pw@host",
        "endpoint|not a uri",
        "prefix|../x",
        "accountKey|not base64!",
        "accountKey|c2hvcnQ=",
        "blockSize|1",
        "blockSize|1GB",
        "blockSize|-5MB",
        "maxSingleUpload|lots",
        "maxTries|0",
        "maxTries|11",
        "listPageSize|5001",
        "createContainer|yes"
      })
  void refusesInvalidSettingsWithoutEchoingSecrets(String name, String value) {
    Map<String, String> m = valid();
    m.put(name, value);
    assertThatThrownBy(() -> AzureBlobSettings.parse(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void namesMatchIgnoringCaseAsEnvironmentVariablesGiveThem() {
    AzureBlobSettings s =
        AzureBlobSettings.parse(
            Map.of(
                "account", "acct1",
                "container", "quarry-data",
                "accountkey", KEY,
                "createcontainer", "true",
                "MAXTRIES", "2"));
    assertThat(s.accountKey()).isEqualTo(KEY);
    assertThat(s.createContainer()).isTrue();
    assertThat(s.maxTries()).isEqualTo(2);
  }

  @Test
  void needsExactlyOneCredentialAndAValidSas() {
    Map<String, String> none = valid();
    none.remove("accountKey");
    assertThatThrownBy(() -> AzureBlobSettings.parse(none))
        .hasMessageContaining("accountKey")
        .hasMessageContaining("sasToken");
    Map<String, String> both = valid();
    both.put("sasToken", SAS);
    assertThatThrownBy(() -> AzureBlobSettings.parse(both))
        .isInstanceOf(IllegalArgumentException.class);
    none.put("sasToken", "sv=2026-06-06&sp=r"); // no signature
    assertThatThrownBy(() -> AzureBlobSettings.parse(none))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sp=r"));
    none.put("sasToken", "?" + SAS);
    assertThat(AzureBlobSettings.parse(none).sasToken()).isEqualTo(SAS);
    assertThatThrownBy(() -> AzureBlobSettings.parse(Map.of("container", "abc")))
        .hasMessageContaining("account");
  }

  @Test
  void toStringAndOpenErrorsNeverShowSecrets() {
    Map<String, String> sas = valid();
    sas.remove("accountKey");
    sas.put("sasToken", SAS);
    for (Map<String, String> m : java.util.List.of(valid(), sas)) {
      assertThat(AzureBlobSettings.parse(m).toString())
          .doesNotContain(KEY)
          .doesNotContain("SECRETSIG")
          .contains("acct1")
          .contains("quarry-data");
    }
    Map<String, String> bad = valid();
    bad.put("maxTries", "zero");
    assertThatThrownBy(() -> ObjectStores.open("azure-blob", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }
}
