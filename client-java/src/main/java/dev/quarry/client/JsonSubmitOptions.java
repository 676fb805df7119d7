package dev.quarry.client;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link QuarryJobs#submitJson}.
 *
 * @param profile backend profile to run on; null for the server's default backend
 * @param label free-form label shown in listings; null for none
 * @param chunkSize inputs per invocation; 0 for the server default
 */
public record JsonSubmitOptions(@Nullable String profile, @Nullable String label, int chunkSize) {
  /** Server defaults. */
  public static final JsonSubmitOptions DEFAULT = new JsonSubmitOptions(null, null, 0);

  /**
   * @throws IllegalArgumentException if {@code chunkSize} is negative
   */
  public JsonSubmitOptions {
    if (chunkSize < 0) {
      throw new IllegalArgumentException("chunkSize must not be negative, got " + chunkSize);
    }
  }
}
