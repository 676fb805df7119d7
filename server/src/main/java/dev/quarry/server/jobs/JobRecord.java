package dev.quarry.server.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job row plus the number of its tasks in each state; {@code profile} is null for the default
 * backend.
 */
public record JobRecord(
    String tenantId,
    UUID id,
    JobState state,
    FunctionRef function,
    int total,
    int chunkSize,
    int maxAttempts,
    boolean retryFunctionErrors,
    long timeoutMs,
    String label,
    String message,
    Instant createdAt,
    @Nullable Instant finishedAt,
    Map<TaskState, Integer> counts,
    @Nullable String profile,
    String requestId) {

  public int count(TaskState state) {
    return counts.getOrDefault(state, 0);
  }
}
