/** What several backends' implementations share. */
@NullMarked
package dev.quarry.backend.internal;

import org.jspecify.annotations.NullMarked;
