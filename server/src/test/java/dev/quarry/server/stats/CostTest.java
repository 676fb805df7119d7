package dev.quarry.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.Pricing;
import dev.quarry.server.backend.lambda.LambdaSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostTest {
  @Test
  void lambdaCostIsGbSecondsTimesTheirPricePlusRequests() {
    Cost c = Cost.estimate(LambdaSettings.pricing(Map.of("region", "eu-west-1")), 1000, 2_000_000);

    assertThat(c.available()).isTrue();
    assertThat(c.currency()).isEqualTo("USD");
    assertThat(c.compute()).isCloseTo(0.0166667, within(1e-12));
    assertThat(c.requests()).isCloseTo(0.40, within(1e-12));
    assertThat(c.total()).isCloseTo(0.4166667, within(1e-12));
    assertThat(c.invocations()).isEqualTo(2_000_000);
  }

  @Test
  void armFunctionsDefaultToTheArmPriceAndSettingsWin() {
    Pricing arm = LambdaSettings.pricing(Map.of("architecture", "arm64"));
    Pricing set =
        LambdaSettings.pricing(
            Map.of("pricePerGbSecond", "0.00002", "pricePerMillionRequests", "0.25"));

    assertThat(arm.perGbSecond()).isEqualTo(LambdaSettings.DEFAULT_ARM_PRICE_PER_GB_SECOND);
    assertThat(set.perGbSecond()).isEqualTo(0.00002);
    assertThat(set.perMillionRequests()).isEqualTo(0.25);
  }

  @Test
  void pricesOutsideTheirRangeAreRefusedWhenAProfileIsWritten() {
    assertThatThrownBy(
            () ->
                LambdaSettings.parse(
                    Map.of("region", "eu-west-1", "pricePerMillionRequests", "1000")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("pricePerMillionRequests");
    assertThatThrownBy(
            () -> LambdaSettings.parse(Map.of("region", "eu-west-1", "pricePerGbSecond", "-1")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("pricePerGbSecond");
  }

  @Test
  void noCostModelSaysWhy() {
    Cost c = Cost.none("backend 'local' has no cost model");

    assertThat(c.available()).isFalse();
    assertThat(c.total()).isZero();
    assertThat(c.reason()).contains("local");
  }
}
