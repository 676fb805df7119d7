package dev.quarry.client;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One finished future of a job, as {@link QuarryJobs#results} streams it.
 *
 * @param taskId the future's id
 * @param index its input index
 * @param state {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
 * @param data the result in the job's codec (empty unless succeeded)
 * @param json whether {@code data} is UTF-8 JSON (functions registered by name); otherwise Java
 *     serialization
 * @param errorType the failure's exception class (failed or cancelled futures), else null
 * @param errorMessage the failure's message, else null
 * @param seq completion sequence number
 * @param attempts attempts made
 * @param durationMs time the function ran, in milliseconds
 * @param coldStart whether the worker loaded the function (or the platform started an instance)
 * @param startedAtMs when the server handed the last attempt to a backend (epoch ms; 0 if the
 *     future never started or the server does not say)
 * @param finishedAtMs when the server recorded the future's end (epoch ms; 0 if it does not say)
 */
public record TaskOutcome(
    String taskId,
    int index,
    String state,
    byte[] data,
    boolean json,
    @Nullable String errorType,
    @Nullable String errorMessage,
    long seq,
    int attempts,
    long durationMs,
    boolean coldStart,
    long startedAtMs,
    long finishedAtMs) {

  /** The JSON text of a succeeded future of a JSON job. */
  public Optional<String> jsonResult() {
    return json && "SUCCEEDED".equals(state)
        ? Optional.of(new String(data, StandardCharsets.UTF_8))
        : Optional.empty();
  }
}
