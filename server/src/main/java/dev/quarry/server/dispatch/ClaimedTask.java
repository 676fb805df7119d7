package dev.quarry.server.dispatch;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A task this replica leased: run attempt {@code attempt} of future {@code index}. */
record ClaimedTask(
    String tenantId,
    UUID jobId,
    int index,
    int attempt,
    int chunk,
    byte @Nullable [] input,
    @Nullable String inputKey) {}
