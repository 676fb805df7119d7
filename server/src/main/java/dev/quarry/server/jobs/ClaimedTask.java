package dev.quarry.server.jobs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A task this replica leased: run attempt {@code attempt} of future {@code id}. */
public record ClaimedTask(
    String tenantId,
    TaskId id,
    int attempt,
    int chunk,
    byte @Nullable [] input,
    @Nullable String inputKey) {

  public UUID jobId() {
    return id.job();
  }

  public int index() {
    return id.index();
  }
}
