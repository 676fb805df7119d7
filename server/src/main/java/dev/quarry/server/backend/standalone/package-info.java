/**
 * Backend kind {@code standalone}: a lane per profile that is a pull pool, served by workers that
 * connect with a worker token ({@code quarry worker}). Decisions: {@code
 * docs/adr/0019-pull-workers.md}.
 */
@NullMarked
package dev.quarry.server.backend.standalone;

import org.jspecify.annotations.NullMarked;
