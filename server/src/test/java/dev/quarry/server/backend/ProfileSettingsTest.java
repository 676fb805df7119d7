package dev.quarry.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.lambda.LambdaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSettingsTest {

  @Test
  void serverDefaultsOutsideTheRangesStopStartUpNamingTheProperty() {
    assertThatThrownBy(
            () ->
                ProfileSettings.requireValidDefaults(
                    new QuarryProperties.Resilience(
                        3, 50, 2_000_000, 10, Duration.ofSeconds(30), 0, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quarry.backend.resilience.sliding-window-size must be 1–1000");
    assertThatThrownBy(
            () ->
                ProfileSettings.requireValidDefaults(
                    new QuarryProperties.Resilience(3, 50, 20, 10, Duration.ofDays(400), 0, 0)))
        .hasMessageContaining("wait-duration-in-open-state");
    assertThatThrownBy(
            () ->
                ProfileSettings.requireValidDefaults(
                    new QuarryProperties.Resilience(3, 50, 20, 10, Duration.ofSeconds(30), -1, 0)))
        .hasMessageContaining("invocations-per-second");
    ProfileSettings.requireValidDefaults(
        new QuarryProperties.Resilience(3, 50, 20, 10, Duration.ofSeconds(30), 0, 0));
  }

  @Test
  void everyRangeIsEnforcedAtItsBounds() {
    List<Setting> all = new ArrayList<>(ProfileSettings.RANGES);
    all.addAll(LambdaSettings.RANGES);
    for (Setting s : all) {
      String lo = s.wholeNumber() ? Long.toString((long) s.min()) : Double.toString(s.min());
      String hi = s.wholeNumber() ? Long.toString((long) s.max()) : Double.toString(s.max());
      assertThat(s.parse(lo)).isEqualTo(s.min());
      assertThat(s.parse(hi)).isEqualTo(s.max());
      for (String bad :
          new String[] {
            Long.toString((long) s.min() - 1),
            Long.toString((long) s.max() + 1),
            "Infinity",
            "NaN",
            "1e309",
            " ",
            "0x1"
          }) {
        assertThatThrownBy(() -> s.parse(bad))
            .as(s.name() + "=" + bad)
            .isInstanceOf(ApiException.class)
            .hasMessageContaining("'" + s.name() + "'")
            .hasMessageContaining(s.range());
      }
    }
  }

  @Test
  void aWindowSmallerThanTheDefaultMinimumIsAccepted() {
    var options =
        ProfileSettings.resilience(
            new QuarryProperties.Resilience(3, 50, 20, 10, Duration.ofSeconds(30), 0, 0),
            Map.of("slidingWindowSize", "5"));
    assertThat(options.minimumNumberOfCalls()).isEqualTo(5);
  }

  @Test
  void maxAttemptsIsDeprecatedAcceptedInItsRangeAndIgnored() {
    ProfileSettings.validateResilience(Map.of("maxAttempts", "4"));
    assertThatThrownBy(() -> ProfileSettings.validateResilience(Map.of("maxAttempts", "many")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("'maxAttempts'");
    assertThatThrownBy(() -> ProfileSettings.validateResilience(Map.of("maxAttempts", "11")))
        .hasMessageContaining("1–10");
    assertThatThrownBy(
            () ->
                ProfileSettings.requireValidDefaults(
                    new QuarryProperties.Resilience(50, 50, 20, 10, Duration.ofSeconds(30), 0, 0)))
        .hasMessageContaining("quarry.backend.resilience.max-attempts must be 1–10");
    ProfileSettings.requireValidDefaults(
        new QuarryProperties.Resilience(null, 50, 20, 10, Duration.ofSeconds(30), 0, 0));
    var defaults = new QuarryProperties.Resilience(null, 50, 20, 10, Duration.ofSeconds(30), 0, 0);
    assertThat(ProfileSettings.resilience(defaults, Map.of("maxAttempts", "7")).toString())
        .isEqualTo(ProfileSettings.resilience(defaults, Map.of()).toString());
  }

  @Test
  void lambdaSettingsNeedARegionAndAnHttpEndpoint() {
    assertThat(LambdaSettings.parse(Map.of("region", "eu-west-1")).concurrency()).isEqualTo(100);
    assertThat(LambdaSettings.parse(Map.of("region", "eu-west-1")).inlineInputBytes())
        .isEqualTo(256);
    assertThatThrownBy(() -> LambdaSettings.parse(Map.of()))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("'region'");
    assertThatThrownBy(
            () -> LambdaSettings.parse(Map.of("region", "eu-west-1", "endpoint", "ftp://x")))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> LambdaSettings.parse(Map.of("region", "eu-west-1", "memory", "64")))
        .hasMessageContaining("'memory'");
  }
}
