/** Implementation of pull pools: the queue, worker sessions, leases and their reaper. */
@NullMarked
package dev.quarry.backend.internal.pull;

import org.jspecify.annotations.NullMarked;
