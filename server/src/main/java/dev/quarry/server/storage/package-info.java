/** Wiring of the object store chosen by {@code quarry.storage.type}. */
@NullMarked
package dev.quarry.server.storage;

import org.jspecify.annotations.NullMarked;
