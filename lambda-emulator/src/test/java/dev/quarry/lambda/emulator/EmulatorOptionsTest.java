package dev.quarry.lambda.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorOptionsTest {

  @Test
  void defaultRuntimeClasspathHoldsTheRuntimeClientJars() {
    EmulatorOptions options = EmulatorOptions.builder().credentials("AK", "SK").build();

    List<String> names =
        List.of(options.runtimeClasspath().split(File.pathSeparator)).stream()
            .map(e -> Path.of(e).getFileName().toString())
            .toList();
    assertThat(names)
        .anyMatch(n -> n.startsWith("aws-lambda-java-runtime-interface-client-"))
        .anyMatch(n -> n.startsWith("aws-lambda-java-serialization-"))
        .anyMatch(n -> n.startsWith("aws-lambda-java-core-"))
        .anyMatch(n -> n.startsWith("utils-lite-"))
        .hasSize(4);
    assertThat(options.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
    assertThat(options.region()).isEqualTo(EmulatorOptions.DEFAULT_REGION);
  }

  @Test
  void settersFailFast() {
    EmulatorOptions.Builder b = EmulatorOptions.builder();
    assertThatThrownBy(() -> b.region("moon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxInstancesPerFunction(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.concurrencyLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.stateTransitionDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.javaHome(Path.of("/nonexistent")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.credentials("", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(b::build)
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("credentials");
  }

  @Test
  void toStringHidesSecrets() {
    EmulatorOptions options =
        EmulatorOptions.builder()
            .credentials("AKIDEXAMPLE", "very-secret")
            .instanceEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "role-secret"))
            .build();

    assertThat(options.toString())
        .contains("AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY")
        .doesNotContain("very-secret", "role-secret");
    assertThat(options.toBuilder().seed(7).build().secretAccessKey()).isEqualTo("very-secret");
  }

  @Test
  void faultSettersRejectInvalidRates() {
    try (LambdaEmulator emu = LambdaEmulator.start(LambdaClients.options().build())) {
      assertThatThrownBy(() -> emu.faults().throttleRate(1.5))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> emu.faults().crashRate(-0.1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> emu.faults().throttleBurst(-1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(emu.endpoint().getHost()).isEqualTo("127.0.0.1");
    }
  }
}
