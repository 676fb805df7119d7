package dev.quarry.backend.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

@SuppressWarnings("removal")
class ResilienceOptionsTest {

  @Test
  void defaultsMatchTheDocumentedValues() {
    ResilienceOptions options = ResilienceOptions.DEFAULT;

    assertThat(options.maxAttempts()).isEqualTo(3);
    assertThat(options.initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(options.backoffMultiplier()).isEqualTo(2.0);
    assertThat(options.backoffJitter()).isEqualTo(0.5);
    assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.failureRateThreshold()).isEqualTo(50f);
    assertThat(options.slidingWindowSize()).isEqualTo(20);
    assertThat(options.minimumNumberOfCalls()).isEqualTo(10);
    assertThat(options.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.permittedCallsInHalfOpenState()).isEqualTo(3);
    assertThat(options.maxConcurrentInvocations()).isEqualTo(Integer.MAX_VALUE);
    assertThat(options.invocationsPerSecond()).isEqualTo(ResilienceOptions.UNLIMITED);
    assertThat(options.deadlineGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void toBuilderKeepsEveryValue() {
    ResilienceOptions options =
        ResilienceOptions.builder()
            .maxAttempts(5)
            .backoff(Duration.ofMillis(10), 3.0, 0.1, Duration.ofSeconds(1))
            .failureRateThreshold(25f)
            .slidingWindowSize(8)
            .minimumNumberOfCalls(4)
            .waitDurationInOpenState(Duration.ofSeconds(5))
            .permittedCallsInHalfOpenState(2)
            .maxConcurrentInvocations(16)
            .invocationsPerSecond(50)
            .rateLimitMaxWait(Duration.ofSeconds(2))
            .deadlineGrace(Duration.ofSeconds(3))
            .build();

    assertThat(options.toBuilder().build()).hasToString(options.toString());
  }

  @Test
  void rejectsInvalidValuesWithClearMessages() {
    var builder = ResilienceOptions.builder();

    assertThatThrownBy(() -> builder.maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be between 1 and 100, got 0");
    assertThatThrownBy(() -> builder.backoff(Duration.ZERO, 2, 0.5, Duration.ofSeconds(1)))
        .hasMessageContaining("initialBackoff must be positive");
    assertThatThrownBy(() -> builder.backoff(Duration.ofMillis(1), 0.5, 0.5, Duration.ofSeconds(1)))
        .hasMessageContaining("backoffMultiplier must be at least 1.0");
    assertThatThrownBy(() -> builder.backoff(Duration.ofMillis(1), 2, 1.0, Duration.ofSeconds(1)))
        .hasMessageContaining("backoffJitter must be in [0, 1)");
    assertThatThrownBy(() -> builder.backoff(Duration.ofSeconds(2), 2, 0.5, Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff must not be below initialBackoff");
    assertThatThrownBy(() -> builder.failureRateThreshold(0f))
        .hasMessageContaining("failureRateThreshold must be in (0, 100]");
    assertThatThrownBy(() -> builder.maxConcurrentInvocations(0))
        .hasMessageContaining("maxConcurrentInvocations must be positive");
    assertThatThrownBy(() -> builder.invocationsPerSecond(-1))
        .hasMessageContaining("invocationsPerSecond must be positive");
    assertThatThrownBy(() -> builder.deadlineGrace(Duration.ofMillis(-1)))
        .hasMessageContaining("deadlineGrace must be between 0 and");
    assertThatThrownBy(() -> builder.slidingWindowSize(5).minimumNumberOfCalls(6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumNumberOfCalls (6) must not exceed slidingWindowSize (5)");
  }

  @Test
  void refusesValuesThatWouldAllocateOrWaitWithoutBound() {
    ResilienceOptions.Builder builder = ResilienceOptions.builder();
    assertThatThrownBy(() -> builder.slidingWindowSize(Integer.MAX_VALUE))
        .hasMessageContaining("slidingWindowSize must be between 1 and 100000");
    assertThatThrownBy(() -> builder.minimumNumberOfCalls(Integer.MAX_VALUE))
        .hasMessageContaining("minimumNumberOfCalls must be between 1 and 100000");
    assertThatThrownBy(() -> builder.waitDurationInOpenState(Duration.ofDays(365)))
        .hasMessageContaining("waitDurationInOpenState must be positive and at most");
    assertThatThrownBy(() -> builder.maxConcurrentInvocations(Integer.MAX_VALUE - 1))
        .hasMessageContaining("at most 1000000 or UNLIMITED");
    assertThatThrownBy(() -> builder.invocationsPerSecond(2_000_000))
        .hasMessageContaining("at most 1000000 or UNLIMITED");
    assertThatThrownBy(() -> builder.rateLimitMaxWait(Duration.ofDays(2)))
        .hasMessageContaining("rateLimitMaxWait must be between 0 and");
    builder
        .maxConcurrentInvocations(ResilienceOptions.UNLIMITED)
        .invocationsPerSecond(ResilienceOptions.UNLIMITED)
        .build();
  }
}
