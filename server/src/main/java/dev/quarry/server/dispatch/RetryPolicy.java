package dev.quarry.server.dispatch;

import dev.quarry.server.QuarryProperties;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one rule for whether a failed attempt of a task is tried again, and after how long
 * (exponential backoff with jitter, Resilience4j's interval). It decides for every failure: a
 * worker's answer, a backend's error, a lease that ran out. Backends do not retry invocations
 * themselves, so every attempt is counted here, once.
 */
@Component
public class RetryPolicy {
  private static final long MAX_DELAY_MS = 30_000;
  private final IntervalFunction interval;

  /** What kind of failure ended an attempt. */
  public enum Failure {
    /** The function threw: retried only when the job asks for it. */
    FUNCTION,
    /** The invocation failed on the way (a worker crashed, a timeout, a lost answer). */
    TRANSIENT,
    /** The invocation can never succeed as it is (a bad profile, a missing function). */
    PERMANENT
  }

  @Autowired
  RetryPolicy(QuarryProperties props) {
    this(props.dispatch().retryInitialBackoff());
  }

  RetryPolicy(Duration initialBackoff) {
    this.interval = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5);
  }

  /**
   * The delay before the next attempt, or empty when attempt {@code attempt} of {@code maxAttempts}
   * was the last one this failure allows.
   */
  public Optional<Duration> retryAfter(
      Failure failure, int attempt, int maxAttempts, boolean retryFunctionErrors) {
    boolean again =
        attempt < maxAttempts
            && switch (failure) {
              case FUNCTION -> retryFunctionErrors;
              case TRANSIENT -> true;
              case PERMANENT -> false;
            };
    return again ? Optional.of(delayAfter(attempt)) : Optional.empty();
  }

  /** Delay before attempt {@code failedAttempt + 1}. */
  Duration delayAfter(int failedAttempt) {
    return Duration.ofMillis(Math.min(MAX_DELAY_MS, interval.apply(Math.max(1, failedAttempt))));
  }
}
