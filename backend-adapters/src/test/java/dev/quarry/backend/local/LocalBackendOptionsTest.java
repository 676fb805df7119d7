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
    assertThat(options.sandbox()).isEqualTo(WorkerSandbox.BWRAP);
    assertThat(options.maxProcesses()).isEqualTo(128);
    assertThat(options.maxAddressSpaceBytes()).isEqualTo(3L << 30);
    assertThat(options.store()).isEmpty();
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
    assertThatThrownBy(() -> builder.maxProcesses(4)).hasMessageContaining("maxProcesses");
    assertThatThrownBy(() -> builder.maxOpenFiles(1)).hasMessageContaining("maxOpenFiles");
    assertThatThrownBy(() -> builder.maxAddressSpaceBytes(1 << 20))
        .hasMessageContaining("maxAddressSpaceBytes");
    assertThatThrownBy(() -> builder.maxCpuSeconds(-1)).hasMessageContaining("maxCpuSeconds");
    assertThatThrownBy(() -> builder.maxTmpBytes(1)).hasMessageContaining("maxTmpBytes");
    assertThatThrownBy(() -> builder.maxObjectBytes(1)).hasMessageContaining("maxObjectBytes");
    assertThatThrownBy(() -> builder.sandboxUid(0)).hasMessageContaining("sandboxUid");
    assertThatThrownBy(() -> builder.bwrapCommand(" ")).hasMessageContaining("bwrapCommand");
  }

  @Test
  void aMissingBubblewrapFailsStartWithTheWayOut() {
    LocalBackendOptions options =
        LocalBackendOptions.builder().poolSize(1).bwrapCommand("/nonexistent/bwrap").build();

    assertThatThrownBy(() -> LocalBackends.create(options))
        .isInstanceOfSatisfying(
            dev.quarry.backend.BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(dev.quarry.backend.BackendException.Kind.PERMANENT))
        .hasMessageContaining("bubblewrap")
        .hasMessageContaining("quarry.backend.sandbox=none");
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
