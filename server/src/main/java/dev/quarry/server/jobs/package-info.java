/** Jobs (maps) and their tasks (futures): submitting, reading, cancelling, legal state changes. */
@NullMarked
package dev.quarry.server.jobs;

import org.jspecify.annotations.NullMarked;
