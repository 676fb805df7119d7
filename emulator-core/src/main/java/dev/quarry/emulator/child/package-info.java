/** Child JVM helpers: their output file, their peak memory, and a reaper at exit. */
@NullMarked
package dev.quarry.emulator.child;

import org.jspecify.annotations.NullMarked;
