package dev.quarry.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.BackendFakes.FakePlugin;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which profiles the plug-ins accept, decided without Spring. */
class BackendPluginsTest {
  private final BackendPlugins plugins =
      new BackendPlugins(List.of(new FakePlugin("fake", "shared"), new FakePlugin("other", null)));

  @Test
  void anUnknownKindIsRefusedNamingTheKindsThisServerRuns() {
    assertThat(plugins.kinds()).containsExactly("fake", "other");
    assertThatThrownBy(() -> plugins.validate("kubernetes", Map.of(), null))
        .isInstanceOf(ApiException.class)
        .hasMessage("backend must be one of [fake, other], got 'kubernetes'");
    assertThat(plugins.find("kubernetes")).isEmpty();
  }

  @Test
  void commonSettingsAreAcceptedForEveryKindAndOwnSettingsCheckedByThePlugIn() {
    plugins.validate("fake", Map.of("failureRateThreshold", "25", "mode", "fast"), null);
    plugins.validate("other", Map.of("maxAttempts", "2"), null);

    assertThatThrownBy(() -> plugins.validate("fake", Map.of("region", "eu-west-1"), null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("unknown setting 'region' for backend fake; allowed: [")
        .hasMessageContaining("mode");
    assertThatThrownBy(() -> plugins.validate("fake", Map.of("mode", "slow"), null))
        .hasMessage("setting 'mode' must be fast");
    assertThatThrownBy(() -> plugins.validate("fake", Map.of("slidingWindowSize", "0"), null))
        .hasMessageContaining("'slidingWindowSize'");
    assertThatThrownBy(() -> plugins.validate("fake", Map.of("mode", "x".repeat(2049)), null))
        .hasMessageContaining("longer than 2048");
  }

  @Test
  void theCredentialRuleOfThePlugInDecides() {
    CredentialRule aws = CredentialRule.required("aws");
    assertThat(aws.accepts("aws")).isTrue();
    assertThat(aws.accepts("azure")).isFalse();
    assertThat(aws.accepts(null)).isFalse();
    assertThat(aws.describe("lambda")).isEqualTo("lambda profiles need a credential of kind aws");
    assertThat(CredentialRule.ANY.accepts(null)).isTrue();
    assertThat(CredentialRule.ANY.accepts("kubernetes")).isTrue();

    BackendPlugins strict =
        new BackendPlugins(
            List.of(
                new FakePlugin("fake", "shared") {
                  @Override
                  public CredentialRule credentials() {
                    return aws;
                  }
                }));
    strict.validate("fake", Map.of(), "aws");
    assertThatThrownBy(() -> strict.validate("fake", Map.of(), "azure"))
        .isInstanceOf(ApiException.class)
        .hasMessage("fake profiles need a credential of kind aws");
  }

  @Test
  void twoPlugInsForOneKindOrAPlugInShadowingACommonSettingStopStartUp() {
    assertThatThrownBy(
            () ->
                new BackendPlugins(
                    List.of(new FakePlugin("fake", null), new FakePlugin("fake", null))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two backend plug-ins for kind 'fake'");
    assertThatThrownBy(
            () ->
                new BackendPlugins(
                    List.of(
                        new FakePlugin("fake", null) {
                          @Override
                          public Set<String> settingNames() {
                            return Set.of("maxAttempts");
                          }
                        })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("common setting 'maxAttempts'");
  }
}
