package dev.quarry.client;

/**
 * How many futures {@link FunctionExecutor#waitFor(java.util.List, WaitThreshold,
 * java.time.Duration)} waits for: a share of them ({@code share(0.2)}: a fifth, rounded up) or a
 * count (more than there are: all of them). Done includes failed and cancelled.
 *
 * @param share 0..1, used when {@code count} is negative
 * @param count at least 0, or -1 to use {@code share}
 */
public record WaitThreshold(double share, int count) {
  /**
   * @throws IllegalArgumentException for a share outside 0..1 or a count below -1
   */
  public WaitThreshold {
    if (count < -1) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    if (count == -1 && !(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be between 0 and 1, got " + share);
    }
  }

  /** This share of the futures (0..1), rounded up. */
  public static WaitThreshold share(double share) {
    return new WaitThreshold(share, -1);
  }

  /** This many futures. */
  public static WaitThreshold count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    return new WaitThreshold(0, count);
  }

  /** How many of {@code total} futures must be done. */
  public int of(int total) {
    return count >= 0 ? Math.min(count, total) : (int) Math.ceil(share * total - 1e-9);
  }
}
