/** Live fault injection (throttling, 5xx, slow answers, crashes, outage) for the emulators. */
@NullMarked
package dev.quarry.emulator.faults;

import org.jspecify.annotations.NullMarked;
