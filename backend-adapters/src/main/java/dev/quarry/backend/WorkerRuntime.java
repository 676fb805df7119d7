package dev.quarry.backend;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A deployed worker as its platform reports it (the REST and gRPC view of a runtime).
 *
 * @param name deployment name, e.g. {@code quarry-worker-<version>-<memory>}
 * @param workerVersion the worker version it runs
 * @param current whether it runs this server's worker version
 * @param state the platform's state, e.g. Pending, Active, Inactive, Failed
 * @param lastUpdateStatus the platform's update status, e.g. InProgress, Successful, Failed
 * @param change what the last deploy or update call did: {@code created}, {@code updated}, {@code
 *     unchanged}, {@code deleted}, or {@code null} for a listing
 */
public record WorkerRuntime(
    String name,
    String workerVersion,
    boolean current,
    int memoryMb,
    int timeoutSeconds,
    String architecture,
    String runtime,
    String state,
    String lastUpdateStatus,
    String codeSha256,
    long codeSize,
    @Nullable Instant lastModified,
    @Nullable String change) {

  /** This runtime with {@code change} set. */
  public WorkerRuntime withChange(String change) {
    return new WorkerRuntime(
        name,
        workerVersion,
        current,
        memoryMb,
        timeoutSeconds,
        architecture,
        runtime,
        state,
        lastUpdateStatus,
        codeSha256,
        codeSize,
        lastModified,
        change);
  }
}
