package dev.quarry.backend.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.BackendException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneDeployClientTest {
  private static final String SCM = "app.scm.azurewebsites.net";
  private static final URI PUBLISH =
      URI.create("https://" + SCM + "/api/publish?RemoteBuild=false&isAsync=true");

  @Test
  void theStatusUrlIsTheLocationResolvedOnTheScmHost() {
    assertThat(OneDeployClient.statusUri("app", SCM, PUBLISH, accepted("/api/deployments/abc")))
        .isEqualTo(URI.create("https://" + SCM + "/api/deployments/abc"));
    assertThat(
            OneDeployClient.statusUri(
                "app", SCM, PUBLISH, accepted("https://APP.scm.azurewebsites.net:443/api/x")))
        .hasHost("APP.scm.azurewebsites.net");
    assertThat(OneDeployClient.statusUri("app", SCM, PUBLISH, accepted(null)))
        .isEqualTo(URI.create("https://" + SCM + "/api/deployments/latest"));
  }

  @Test
  void aStatusUrlOffTheScmHostIsNotFollowed() {
    for (String off :
        List.of(
            "https://evil.example/api/deployments/abc",
            "http://" + SCM + "/api/deployments/abc",
            "https://" + SCM + ":8443/api/deployments/abc")) {
      assertThatThrownBy(() -> OneDeployClient.statusUri("app", SCM, PUBLISH, accepted(off)))
          .isInstanceOf(BackendException.class)
          .hasMessageContaining("off its SCM host")
          .extracting(e -> ((BackendException) e).kind())
          .isEqualTo(BackendException.Kind.PERMANENT);
    }
  }

  private static Optional<String> accepted(String location) {
    return Optional.ofNullable(location);
  }
}
