package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Exponential backoff with jitter between attempts of a task (Resilience4j's interval). */
@Component
class RetryPolicy {
  private static final long MAX_DELAY_MS = 30_000;
  private final IntervalFunction interval;

  RetryPolicy(QuarryProperties props) {
    this.interval =
        IntervalFunction.ofExponentialRandomBackoff(
            props.dispatch().retryInitialBackoff(), 2.0, 0.5);
  }

  /** Delay before attempt {@code failedAttempt + 1}. */
  Duration delayAfter(int failedAttempt) {
    return Duration.ofMillis(Math.min(MAX_DELAY_MS, interval.apply(Math.max(1, failedAttempt))));
  }
}
