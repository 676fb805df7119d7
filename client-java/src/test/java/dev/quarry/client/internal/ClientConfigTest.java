package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.QuarryException;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  @TempDir Path home;
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();
  private Path defaultFile;

  @BeforeEach
  void setUp() throws IOException {
    props.put("user.home", home.toString());
    defaultFile = home.resolve(".quarry/config");
    Files.createDirectories(defaultFile.getParent());
  }

  private ClientConfig resolve(String target, ClientOptions options) {
    return ClientConfig.resolve(target, options, env::get, props::get);
  }

  private static void write(Path file, String key, String address) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "# written by the server\napi_key="
            + key
            + "\ngrpc_address="
            + address
            + "\nrest_url=http\\://localhost\\:8080\n");
  }

  @Test
  void theDefaultConfigFileIsUsedWhenNothingElseIsSet() throws IOException {
    write(defaultFile, "file-key", "server:9999");
    ClientConfig c = resolve(null, ClientOptions.DEFAULT);
    assertThat(c.apiKey()).isEqualTo("file-key");
    assertThat(c.target()).isEqualTo("server:9999");
    assertThat(c.keySource()).contains(defaultFile.toString());
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws IOException {
    write(defaultFile, "file-key", "server:9999");
    env.put("QUARRY_API_KEY", "env-key");
    env.put("QUARRY_ADDRESS", "envhost:1234");
    ClientConfig c = resolve(null, ClientOptions.DEFAULT);
    assertThat(c.apiKey()).isEqualTo("env-key");
    assertThat(c.target()).isEqualTo("envhost:1234");
    assertThat(c.keySource()).isEqualTo("$QUARRY_API_KEY");
  }

  @Test
  void explicitOptionsAndTargetWinOverEverything() throws IOException {
    write(defaultFile, "file-key", "server:9999");
    env.put("QUARRY_API_KEY", "env-key");
    env.put("QUARRY_ADDRESS", "envhost:1234");
    ClientConfig c = resolve("explicit:1", ClientOptions.builder().apiKey("option-key").build());
    assertThat(c.apiKey()).isEqualTo("option-key");
    assertThat(c.target()).isEqualTo("explicit:1");
  }

  @Test
  void theConfigFileLocationFollowsOptionsThenEnvThenProperty() throws IOException {
    Path fromProp = home.resolve("prop.config");
    Path fromEnv = home.resolve("env.config");
    Path fromOptions = home.resolve("options.config");
    write(defaultFile, "default", "d:1");
    write(fromProp, "prop", "p:1");
    write(fromEnv, "env", "e:1");
    write(fromOptions, "options", "o:1");
    props.put("quarry.config", fromProp.toString());
    assertThat(resolve(null, ClientOptions.DEFAULT).apiKey()).isEqualTo("prop");
    env.put("QUARRY_CONFIG", fromEnv.toString());
    assertThat(resolve(null, ClientOptions.DEFAULT).apiKey()).isEqualTo("env");
    ClientConfig c = resolve(null, ClientOptions.builder().configFile(fromOptions).build());
    assertThat(c.apiKey()).isEqualTo("options");
    assertThat(c.target()).isEqualTo("o:1");
  }

  @Test
  void withoutAnyConfigTheDefaultsApplyAndTheKeySourceSaysWhereItLooked() {
    ClientConfig c = resolve(null, ClientOptions.DEFAULT);
    assertThat(c.apiKey()).isNull();
    assertThat(c.target()).isEqualTo(ClientConfig.DEFAULT_TARGET);
    assertThat(c.keySource()).contains("$QUARRY_API_KEY").contains("does not exist");
  }

  @Test
  void anExplicitlyNamedMissingConfigFileIsAnError() {
    env.put("QUARRY_CONFIG", home.resolve("nope").toString());
    assertThatThrownBy(() -> resolve(null, ClientOptions.DEFAULT))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getMessage()).contains("nope").contains("$QUARRY_CONFIG");
            });
  }

  @Test
  void schemesAreStrippedAndHttpsMeansTls() {
    assertThat(resolve("http://h:1/", ClientOptions.DEFAULT).target()).isEqualTo("h:1");
    ClientConfig tls = resolve("https://h:443", ClientOptions.DEFAULT);
    assertThat(tls.target()).isEqualTo("h:443");
    assertThat(tls.tls()).isTrue();
    assertThat(resolve("h:1", ClientOptions.builder().useTls(true).build()).tls()).isTrue();
  }

  @Test
  void theKeyNeverShowsInToString() {
    ClientConfig c = resolve("h:1", ClientOptions.builder().apiKey("secret-key-123").build());
    assertThat(c.toString()).doesNotContain("secret-key-123");
    assertThat(ClientOptions.builder().apiKey("secret-key-123").build().toString())
        .doesNotContain("secret-key-123");
    assertThat(new AuthInterceptor("secret-key-123").toString()).doesNotContain("secret-key-123");
  }

  @Test
  void aBlankTargetIsRejected() {
    assertThatThrownBy(() -> resolve(" ", ClientOptions.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void targetAndProfileSayWhereTheyCameFromInPrecedenceOrder() throws IOException {
    Files.writeString(defaultFile, "api_key=k\ngrpc_address=file:1\nprofile=from-file\n");
    ClientConfig file = resolve(null, ClientOptions.DEFAULT);
    assertThat(file.targetSource()).isEqualTo("config file " + defaultFile);
    assertThat(file.profile()).isEqualTo("from-file");
    assertThat(file.profileSource()).isEqualTo("config file " + defaultFile);
    assertThat(file.configFile()).isEqualTo(defaultFile);

    env.put("QUARRY_ADDRESS", "env:2");
    env.put("QUARRY_PROFILE", "from-env");
    ClientConfig fromEnv = resolve(null, ClientOptions.DEFAULT);
    assertThat(fromEnv.targetSource()).isEqualTo("$QUARRY_ADDRESS");
    assertThat(fromEnv.profile()).isEqualTo("from-env");
    assertThat(fromEnv.profileSource()).isEqualTo("$QUARRY_PROFILE");

    ClientConfig explicit =
        resolve("flag:3", ClientOptions.builder().profile("from-options").build());
    assertThat(explicit.target()).isEqualTo("flag:3");
    assertThat(explicit.targetSource()).isEqualTo("explicit target");
    assertThat(explicit.profile()).isEqualTo("from-options");
    assertThat(explicit.profileSource()).isEqualTo("ClientOptions.profile");
  }

  @Test
  void nothingConfiguredMeansDefaults() {
    ClientConfig c = resolve(null, ClientOptions.DEFAULT);
    assertThat(c.target()).isEqualTo(ClientConfig.DEFAULT_TARGET);
    assertThat(c.targetSource()).isEqualTo("default");
    assertThat(c.profile()).isNull();
    assertThat(c.profileSource()).isEqualTo("default");
  }
}
