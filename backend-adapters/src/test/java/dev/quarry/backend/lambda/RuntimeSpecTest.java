package dev.quarry.backend.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSpecTest {

  @Test
  void functionsAreNamedByWorkerVersionMemoryAndArchitecture() {
    assertThat(new RuntimeSpec(2048, 60, "x86_64", null, Map.of()).functionName("0123456789ab"))
        .isEqualTo("quarry-worker-0123456789ab-2048");
    assertThat(new RuntimeSpec(2048, 60, "arm64", null, Map.of()).functionName("0123456789ab"))
        .isEqualTo("quarry-worker-0123456789ab-2048-arm64");
  }

  @Test
  void aTenantsFunctionIsItsOwnAndNoOtherTenantsFunction() {
    RuntimeSpec spec = new RuntimeSpec(2048, 60, "x86_64", null, Map.of());
    String a = spec.forTenant("team-a").functionName("0123456789ab");
    String b = spec.forTenant("team-b").functionName("0123456789ab");

    assertThat(a).matches("quarry-worker-0123456789ab-2048-t[0-9a-f]{10}").hasSizeLessThan(64);
    assertThat(b).isNotEqualTo(a).startsWith("quarry-worker-0123456789ab-2048-t");
    assertThat(spec.forTenant("team-a").functionName("0123456789ab")).isEqualTo(a);
    assertThatThrownBy(() -> new RuntimeSpec(2048, 60, "x86_64", null, Map.of(), "../x"))
        .hasMessageContaining("tenantTag");
  }

  @Test
  void invalidSettingsAreRefusedWithTheFieldName() {
    assertThatThrownBy(() -> new RuntimeSpec(64, 60, "x86_64", null, Map.of()))
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> new RuntimeSpec(512, 901, "x86_64", null, Map.of()))
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> new RuntimeSpec(512, 60, "sparc", null, Map.of()))
        .hasMessageContaining("architecture");
    assertThatThrownBy(() -> new RuntimeSpec(512, 60, "x86_64", "admin", Map.of()))
        .hasMessageContaining("role");
    assertThatThrownBy(() -> new RuntimeSpec(512, 60, "x86_64", null, Map.of("AWS_REGION", "x")))
        .hasMessageContaining("AWS_REGION");
  }

  @Test
  void theWorkerVersionIsAStablePrefixOfTheZipDigest() {
    WorkerPackage a = WorkerPackage.of("zip-a".getBytes(StandardCharsets.UTF_8));
    WorkerPackage again = WorkerPackage.of("zip-a".getBytes(StandardCharsets.UTF_8));
    WorkerPackage b = WorkerPackage.of("zip-b".getBytes(StandardCharsets.UTF_8));
    assertThat(a.version())
        .hasSize(12)
        .matches("[0-9a-f]{12}")
        .isEqualTo(again.version())
        .isNotEqualTo(b.version());
    assertThat(a.codeSha256()).isEqualTo(again.codeSha256());
    assertThat(a.toString()).doesNotContain("zip-a");
  }
}
