/**
 * Per-future statistics and job summaries with a cost estimate (ADR 0026): figures the workers
 * measured and the task store aggregates, priced with the job's backend's pricing settings.
 */
@NullMarked
package dev.quarry.server.stats;

import org.jspecify.annotations.NullMarked;
