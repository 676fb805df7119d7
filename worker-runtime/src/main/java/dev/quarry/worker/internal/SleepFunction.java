package dev.quarry.worker.internal;

import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builtin {@code sleep}: input is a number of milliseconds (returned after sleeping) or an object
 * {@code {"ms": n, "value": x}} (returns {@code x}).
 */
public final class SleepFunction implements Function<@Nullable Object, @Nullable Object> {

  /**
   * @throws IllegalArgumentException if the input is neither a non-negative number nor an object
   *     with a non-negative number {@code ms}
   * @throws IllegalStateException if the thread is interrupted while sleeping
   */
  @Override
  public @Nullable Object apply(@Nullable Object input) {
    if (input instanceof Number ms) {
      sleep(ms);
      return input;
    }
    if (input instanceof Map<?, ?> map && map.get("ms") instanceof Number ms) {
      sleep(ms);
      return map.get("value");
    }
    throw new IllegalArgumentException(
        "sleep expects a number of milliseconds or {\"ms\": n, \"value\": x}, got: " + input);
  }

  private static void sleep(Number ms) {
    long millis = ms.longValue();
    if (millis < 0) {
      throw new IllegalArgumentException("sleep milliseconds must be >= 0, got " + ms);
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sleeping", e);
    }
  }
}
