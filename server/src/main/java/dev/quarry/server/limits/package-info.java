/** Per-tenant quotas: concurrency, job and payload sizes, jobs in flight, request rate per key. */
@NullMarked
package dev.quarry.server.limits;

import org.jspecify.annotations.NullMarked;
