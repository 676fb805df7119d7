package dev.quarry.server.backend;

import dev.quarry.backend.ComputeBackend;
import org.jspecify.annotations.Nullable;

/**
 * What a plug-in opened for a lane.
 *
 * @param backend the raw backend; the registry wraps it in the resilience decorator and closes it
 *     with the lane (a backend shared by several lanes hands out a view whose {@code close} does
 *     nothing)
 * @param budget lanes with the same budget share capacity in the dispatcher
 * @param queuesBacklog whether the backend queues invocations beyond its capacity itself, so the
 *     dispatcher may keep a short backlog in it (the local pool); platforms that refuse or throttle
 *     extra calls run exactly their capacity
 * @param inlineInputBytes inputs larger than this travel through storage, not in the envelope
 * @param maxConcurrentInvocations bulkhead used when the profile does not set {@code
 *     maxConcurrentInvocations}; 0 for the server default
 * @param runtimes the deployments reachable through this lane, null for kinds without any
 */
public record OpenedLane(
    ComputeBackend backend,
    String budget,
    boolean queuesBacklog,
    int inlineInputBytes,
    int maxConcurrentInvocations,
    @Nullable BackendRuntimes runtimes) {}
