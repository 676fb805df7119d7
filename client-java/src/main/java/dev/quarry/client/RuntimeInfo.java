package dev.quarry.client;

/**
 * A worker function deployed on a serverless platform (a Lambda function), as the server reports
 * it.
 *
 * @param name e.g. {@code quarry-worker-0123456789ab-2048}
 * @param current whether it runs the server's worker version
 * @param state the platform's state, e.g. {@code Active}
 * @param change what the call did: {@code created}, {@code updated}, {@code unchanged}, {@code
 *     deleted}; empty in listings
 */
public record RuntimeInfo(
    String name,
    String workerVersion,
    boolean current,
    int memoryMb,
    int timeoutSeconds,
    String architecture,
    String state,
    String lastUpdateStatus,
    String lastModified,
    String change) {}
