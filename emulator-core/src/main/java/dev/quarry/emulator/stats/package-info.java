/** Invocation counters the emulators keep and report as snapshots. */
@NullMarked
package dev.quarry.emulator.stats;

import org.jspecify.annotations.NullMarked;
