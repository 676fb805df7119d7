/**
 * Implementation of the Quarry Java client: configuration, function packing, blob upload, job
 * submission and result streams. Not a public API; use {@link dev.quarry.client.FunctionExecutor}.
 */
@NullMarked
package dev.quarry.client.internal;

import org.jspecify.annotations.NullMarked;
