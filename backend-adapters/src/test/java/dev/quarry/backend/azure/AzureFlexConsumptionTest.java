package dev.quarry.backend.azure;

import static dev.quarry.backend.azure.AzureFunctionsBackendTest.envelope;
import static dev.quarry.backend.azure.AzureFunctionsBackendTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskOutcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backend on a Flex Consumption profile, with {@link AzureFunctionsBackendTest}'s fixtures (the
 * Azure Functions emulator answering the real SDK, Azurite, the real worker package).
 */
class AzureFlexConsumptionTest {

  @BeforeAll
  static void start() throws Exception {
    AzureFunctionsBackendTest.start();
  }

  @AfterAll
  static void stop() {
    AzureFunctionsBackendTest.stop();
  }

  static AzureFunctionsOptions.Builder flex() {
    return AzureFunctionsBackendTest.options().plan("flex-consumption");
  }

  @Test
  void aMapOnFlexGivesCorrectResultsColdThenWarmAndDeploysOnce() throws Exception {
    AzureFunctionsBackendTest.mapColdThenWarm(flex().memoryMb(2048).build(), "flex");
  }

  @Test
  void deployUpdateDeleteRoundTripOnFlex() throws Exception {
    AzureFunctionsOptions o = flex().memoryMb(4096).build();
    try (AzureFunctionsBackend backend = AzureFunctionsBackend.create(o)) {
      String name = o.appName();

      assertThat(backend.runtimes().deploy().change()).isEqualTo("created");
      assertThat(backend.runtimes().update(name).change()).isEqualTo("updated");
      InvocationSummary after =
          backend.invoke(envelope("flex-u", "\"u\"")).get(3, TimeUnit.MINUTES);
      assertThat(after.getOutcomesList()).extracting(TaskOutcome::getOk).containsExactly(true);
      assertThat(text("results/flex-u-0")).isEqualTo("\"u\"");
      assertThat(backend.runtimes().delete(name).change()).isEqualTo("deleted");
      assertThat(backend.runtimes().list()).extracting(WorkerRuntime::name).doesNotContain(name);
      assertThatThrownBy(() -> backend.runtimes().delete(name))
          .isInstanceOf(RuntimeNotFoundException.class)
          .hasMessageContaining(name);
    }
  }

  @Test
  void aMemoryFlexDoesNotOfferIsRefusedWhenTheOptionsAreBuilt() {
    assertThatThrownBy(() -> flex().memoryMb(1024).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory 1024 MB is not an instance size of Flex Consumption")
        .hasMessageContaining("512, 2048 or 4096");
    assertThat(AzureFunctionsBackendTest.options().memoryMb(1024).build().plan())
        .isEqualTo("consumption");
  }
}
