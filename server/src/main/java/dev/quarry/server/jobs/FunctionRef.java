package dev.quarry.server.jobs;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What a job runs: everything a worker needs to load the function, copied onto the job. */
public record FunctionRef(
    @Nullable UUID id,
    String name,
    String kind,
    String codec,
    @Nullable String entryClass,
    @Nullable String payloadDigest,
    List<String> jarDigests,
    String bundleDigest) {}
