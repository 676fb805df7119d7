package dev.quarry.server.jobs;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A validated-on-submit request to run {@code function} over {@code inputs} (already encoded in the
 * function's codec). Zero or null options take the server defaults.
 */
public record SubmitCommand(
    String function,
    List<byte[]> inputs,
    int chunkSize,
    int maxAttempts,
    boolean retryFunctionErrors,
    @Nullable Duration timeout,
    String label,
    @Nullable String profile) {}
