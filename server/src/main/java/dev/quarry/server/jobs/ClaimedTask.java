package dev.quarry.server.jobs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A task this replica leased: run attempt {@code attempt} of future {@code id}. {@code attemptBase}
 * is the attempt at which a caller's retry-failed last restarted the future (0 if never): the retry
 * policy counts {@link #attemptInRun()}.
 */
public record ClaimedTask(
    String tenantId,
    TaskId id,
    int attempt,
    int chunk,
    byte @Nullable [] input,
    @Nullable String inputKey,
    int attemptBase) {

  /** The attempt's number since the future last (re)started: 1 for its first attempt. */
  public int attemptInRun() {
    return attempt - attemptBase;
  }

  public UUID jobId() {
    return id.job();
  }

  public int index() {
    return id.index();
  }
}
