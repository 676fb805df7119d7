/**
 * Resilience for any {@link dev.quarry.backend.ComputeBackend}: a circuit breaker per tenant,
 * bulkhead, rate limiter and an invocation deadline, built on Resilience4j. No retry: attempts are
 * counted once, by the caller's task retry policy. Start at {@link
 * dev.quarry.backend.resilience.ResilientBackends#decorate}.
 */
@NullMarked
package dev.quarry.backend.resilience;

import org.jspecify.annotations.NullMarked;
