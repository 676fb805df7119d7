package dev.quarry.backend.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.models.HostType;
import com.azure.resourcemanager.appservice.models.HostnameSslState;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlexPlanTest {

  @Test
  void theDeploymentContainerIsAValidBlobContainerNameStablePerApp() {
    String a = FlexPlan.container("quarry-worker-0123456789ab-2048-t0123456789");

    assertThat(a).matches("app-package-[0-9a-f]{16}");
    assertThat(FlexPlan.container("quarry-worker-0123456789ab-2048-t0123456789")).isEqualTo(a);
    assertThat(FlexPlan.container("quarry-worker-0123456789ab-4096-t0123456789")).isNotEqualTo(a);
  }

  @Test
  void theScmHostIsTheRepositoryHostArmLists() {
    SiteInner site =
        new SiteInner()
            .withHostnameSslStates(
                List.of(
                    new HostnameSslState()
                        .withName("app.azurewebsites.net")
                        .withHostType(HostType.STANDARD),
                    new HostnameSslState()
                        .withName("app.scm.azurewebsites.net")
                        .withHostType(HostType.REPOSITORY)));

    assertThat(FlexPlan.scmHost(site)).isEqualTo("app.scm.azurewebsites.net");
  }
}
