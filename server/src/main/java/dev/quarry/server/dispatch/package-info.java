/**
 * The dispatcher: claims runnable tasks with {@code FOR UPDATE SKIP LOCKED}, groups them into
 * invocations, calls the backend and records outcomes in batches.
 */
@NullMarked
package dev.quarry.server.dispatch;

import org.jspecify.annotations.NullMarked;
