package dev.quarry.server.limits;

/**
 * The limits in force for one tenant.
 *
 * @param maxConcurrentInvocations invocations of the tenant running at once (per replica)
 * @param maxInputsPerJob inputs in one map
 * @param maxInputBytes bytes of one input
 * @param maxRequestBytes bytes of all inputs of one submit
 * @param maxJobsInFlight jobs of the tenant running at once
 * @param requestsPerSecond API calls per second per key (per replica)
 * @param maxStorageMib MiB of all objects the tenant keeps through the Storage API
 * @param maxStorageObjects objects the tenant keeps through the Storage API
 */
public record TenantLimits(
    int maxConcurrentInvocations,
    int maxInputsPerJob,
    int maxInputBytes,
    int maxRequestBytes,
    int maxJobsInFlight,
    int requestsPerSecond,
    int maxStorageMib,
    int maxStorageObjects) {}
