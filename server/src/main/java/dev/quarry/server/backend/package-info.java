/** Wiring of the compute backend chosen by {@code quarry.backend.type}. */
@NullMarked
package dev.quarry.server.backend;

import org.jspecify.annotations.NullMarked;
