package dev.quarry.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.lambda.WorkerPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plan settings of {@link AzureFunctionsOptions}, without Azure or an emulator. */
class AzureFunctionsOptionsTest {

  static AzureFunctionsOptions.Builder options() {
    String guid = "00000000-0000-0000-0000-000000000001";
    return AzureFunctionsOptions.builder()
        .servicePrincipal(guid, guid, "secret", guid)
        .resourceGroup("rg")
        .region("westeurope")
        .storageAccount("quarrydata")
        .workerPackage(WorkerPackage.of(new byte[] {1, 2, 3}));
  }

  @Test
  void consumptionIsTheDefaultPlan() {
    AzureFunctionsOptions o = options().build();

    assertThat(o.plan()).isEqualTo("consumption");
    assertThat(o.flex()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 2048, 4096})
  void flexAcceptsItsThreeInstanceSizes(int memory) {
    AzureFunctionsOptions o = options().plan("Flex-Consumption").memoryMb(memory).build();

    assertThat(o.flex()).isTrue();
    assertThat(o.plan()).isEqualTo("flex-consumption");
    assertThat(o.memoryMb()).isEqualTo(memory);
    assertThat(o.appName()).endsWith("-" + memory);
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 1536, 3072, 511, 4097})
  void flexRefusesOtherSizesNamingTheValidOnes(int memory) {
    assertThatThrownBy(() -> options().plan("flex-consumption").memoryMb(memory).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory " + memory + " MB")
        .hasMessageContaining("512, 2048 or 4096");
  }

  @Test
  void consumptionKeepsAnySizeFrom512To4096() {
    assertThat(options().memoryMb(1024).build().memoryMb()).isEqualTo(1024);
  }

  @ParameterizedTest
  @CsvSource({"1, 40", "40, 40", "100, 100", "999, 999", "1000, 1000"})
  void flexMaximumInstanceCountIsTheConcurrencyWithinFlexBounds(int concurrency, int expected) {
    AzureFunctionsOptions o = options().plan("flex-consumption").concurrency(concurrency).build();

    assertThat(o.flexMaximumInstanceCount()).isEqualTo(expected);
  }

  @Test
  void anUnknownPlanIsRefused() {
    assertThatThrownBy(() -> options().plan("elastic-premium").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plan must be consumption or flex-consumption, got 'elastic-premium'");
  }
}
