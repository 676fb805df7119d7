package dev.quarry.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalBackendOptionsTest {

  @Test
  void defaultsToThisJvmAndOneWorkerPerProcessor() {
    LocalBackendOptions options = LocalBackendOptions.builder().build();

    assertThat(options.poolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(options.maxInFlightPerWorker()).isEqualTo(2);
    assertThat(options.classpath()).isEqualTo(System.getProperty("java.class.path"));
    assertThat(options.javaCommand()).contains("java");
    assertThat(options.jvmArgs()).isEqualTo(LocalBackendOptions.defaultJvmArgs());
    assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.deadlineGrace()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsInvalidValuesWithTheSettingName() {
    var builder = LocalBackendOptions.builder();

    assertThatThrownBy(() -> builder.poolSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("poolSize");
    assertThatThrownBy(() -> builder.maxInFlightPerWorker(0))
        .hasMessageContaining("maxInFlightPerWorker");
    assertThatThrownBy(() -> builder.javaCommand(" ")).hasMessageContaining("javaCommand");
    assertThatThrownBy(() -> builder.classpath("")).hasMessageContaining("classpath");
    assertThatThrownBy(() -> builder.jvmArgs(List.of("-Xmx1g", "")))
        .hasMessageContaining("jvmArgs");
    assertThatThrownBy(() -> builder.environment(Map.of("A=B", "x"))).hasMessageContaining("A=B");
    assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO))
        .hasMessageContaining("startupTimeout");
    assertThatThrownBy(() -> builder.deadlineGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("deadlineGrace");
  }

  @Test
  void toStringNeverShowsEnvironmentValues() {
    LocalBackendOptions options =
        LocalBackendOptions.builder()
            .environment(Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t"))
            .build();

    assertThat(options.toString()).contains("AWS_SECRET_ACCESS_KEY").doesNotContain("s3cr3t");
    assertThat(options.toBuilder().build().environment())
        .containsEntry("AWS_SECRET_ACCESS_KEY", "s3cr3t");
  }
}
