/** Helpers for the JDK HTTP server the emulators answer with. */
@NullMarked
package dev.quarry.emulator.http;

import org.jspecify.annotations.NullMarked;
