package dev.quarry.backend.lambda;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A deployed worker function as Lambda reports it.
 *
 * @param name function name, {@code quarry-worker-<version>-<memory>}
 * @param workerVersion the worker version it runs (from its name)
 * @param current whether it runs this server's worker version
 * @param state Lambda's {@code State}: Pending, Active, Inactive, Failed
 * @param lastUpdateStatus Lambda's {@code LastUpdateStatus}: InProgress, Successful, Failed
 * @param change what the last deploy or update call did: {@code created}, {@code updated}, {@code
 *     unchanged}, {@code deleted}, or {@code null} for a listing
 */
public record LambdaRuntime(
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
  public LambdaRuntime withChange(String change) {
    return new LambdaRuntime(
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
