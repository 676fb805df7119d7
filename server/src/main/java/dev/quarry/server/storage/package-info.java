/**
 * Object storage: wiring of the store chosen by {@code quarry.storage.type}, and the Storage API
 * ({@link dev.quarry.server.storage.TenantStorage}) that gives each tenant buckets inside its own
 * prefix of that store.
 */
@NullMarked
package dev.quarry.server.storage;

import org.jspecify.annotations.NullMarked;
