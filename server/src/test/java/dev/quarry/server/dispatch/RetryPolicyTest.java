package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.dispatch.RetryPolicy.Failure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100));

  @Test
  void transientFailuresAreRetriedUntilTheLastAttempt() {
    assertThat(policy.retryAfter(Failure.TRANSIENT, 1, 3, false)).isPresent();
    assertThat(policy.retryAfter(Failure.TRANSIENT, 2, 3, false)).isPresent();
    assertThat(policy.retryAfter(Failure.TRANSIENT, 3, 3, false)).isEmpty();
  }

  @Test
  void functionErrorsAreRetriedOnlyWhenTheJobAsks() {
    assertThat(policy.retryAfter(Failure.FUNCTION, 1, 3, false)).isEmpty();
    assertThat(policy.retryAfter(Failure.FUNCTION, 1, 3, true)).isPresent();
    assertThat(policy.retryAfter(Failure.FUNCTION, 3, 3, true)).isEmpty();
  }

  @Test
  void permanentFailuresAreNeverRetried() {
    assertThat(policy.retryAfter(Failure.PERMANENT, 1, 20, true)).isEmpty();
  }

  @Test
  void delaysGrowWithJitterAndStayBounded() {
    // exponential with 50 % jitter: attempt 1 in [50, 150] ms, attempt 4 in [400, 1200] ms
    for (int i = 0; i < 100; i++) {
      assertThat(policy.delayAfter(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
      assertThat(policy.delayAfter(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(1200));
      assertThat(policy.delayAfter(40)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
  }
}
