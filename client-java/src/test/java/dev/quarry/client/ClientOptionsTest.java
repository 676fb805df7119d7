package dev.quarry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  @Test
  void defaults() {
    ClientOptions o = ClientOptions.DEFAULT;
    assertThat(o.apiKey()).isEmpty();
    assertThat(o.maxInboundMessageSize()).isEqualTo(64 << 20);
    assertThat(o.uploadChunkSize()).isEqualTo(1 << 20);
    assertThat(o.callTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.classpath()).isEmpty();
  }

  @Test
  void toBuilderKeepsEverything() {
    ClientOptions o =
        ClientOptions.builder()
            .apiKey("k")
            .configFile(Path.of("/c"))
            .maxInboundMessageSize(8 << 20)
            .uploadChunkSize(64 << 10)
            .uploadConcurrency(2)
            .callTimeout(Duration.ofSeconds(5))
            .reconnectTimeout(Duration.ZERO)
            .useTls(true)
            .classpath(List.of(Path.of("a.jar")))
            .build();
    ClientOptions copy = o.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(o.toString());
    assertThat(copy.apiKey()).contains("k");
    assertThat(copy.classpath()).contains(List.of(Path.of("a.jar")));
  }

  @Test
  void valuesAreChecked() {
    assertThatThrownBy(() -> ClientOptions.builder().apiKey("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey");
    assertThatThrownBy(() -> ClientOptions.builder().maxInboundMessageSize(1000))
        .hasMessageContaining("at least 1 MiB");
    assertThatThrownBy(() -> ClientOptions.builder().uploadChunkSize(1))
        .hasMessageContaining("uploadChunkSize must be between");
    assertThatThrownBy(() -> ClientOptions.builder().uploadConcurrency(0))
        .hasMessage("uploadConcurrency must be between 1 and 32, got 0");
    assertThatThrownBy(() -> ClientOptions.builder().callTimeout(Duration.ZERO))
        .hasMessageContaining("callTimeout must be positive");
    assertThatThrownBy(() -> ClientOptions.builder().reconnectTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("must not be negative");
  }
}
