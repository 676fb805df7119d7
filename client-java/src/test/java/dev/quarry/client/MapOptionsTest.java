package dev.quarry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MapOptionsTest {
  @Test
  void defaults() {
    MapOptions o = MapOptions.DEFAULT;
    assertThat(o.chunkSize()).isEqualTo(MapOptions.DEFAULT_CHUNK_SIZE).isEqualTo(1);
    assertThat(o.maxAttempts()).isZero();
    assertThat(o.timeout()).isEmpty();
    assertThat(o.retryFunctionErrors()).isFalse();
    assertThat(o.label()).isEmpty();
  }

  @Test
  void theBuilderSetsEverythingAndToBuilderCopies() {
    MapOptions o =
        MapOptions.builder()
            .chunkSize(10)
            .maxAttempts(3)
            .timeout(Duration.ofSeconds(30))
            .retryFunctionErrors(true)
            .label("nightly")
            .build();
    assertThat(o.chunkSize()).isEqualTo(10);
    assertThat(o.maxAttempts()).isEqualTo(3);
    assertThat(o.timeout()).contains(Duration.ofSeconds(30));
    assertThat(o.retryFunctionErrors()).isTrue();
    assertThat(o.label()).isEqualTo("nightly");
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.toBuilder().chunkSize(2).build().chunkSize()).isEqualTo(2);
    assertThat(o.toBuilder().timeout(null).label(null).build().timeout()).isEmpty();
    assertThat(o.toString()).contains("chunkSize=10").contains("nightly");
  }

  @Test
  void chunkSizeIsChecked() {
    assertThatThrownBy(() -> MapOptions.builder().chunkSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkSize must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> MapOptions.builder().chunkSize(10_001))
        .hasMessage("chunkSize must be between 1 and 10000, got 10001");
    assertThat(MapOptions.builder().chunkSize(10_000).build().chunkSize()).isEqualTo(10_000);
  }

  @Test
  void maxAttemptsIsChecked() {
    assertThatThrownBy(() -> MapOptions.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be between 1 and 20, got 0");
    assertThatThrownBy(() -> MapOptions.builder().maxAttempts(21))
        .hasMessage("maxAttempts must be between 1 and 20, got 21");
  }

  @Test
  void timeoutIsChecked() {
    assertThatThrownBy(() -> MapOptions.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be at least 1 ms");
    assertThatThrownBy(() -> MapOptions.builder().timeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MapOptions.builder().timeout(Duration.ofDays(400)))
        .hasMessageContaining("at most 365 days");
  }

  @Test
  void labelLengthIsChecked() {
    assertThat(MapOptions.builder().label("x".repeat(200)).build().label()).hasSize(200);
    assertThatThrownBy(() -> MapOptions.builder().label("x".repeat(201)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label must be at most 200 characters, got 201");
  }
}
