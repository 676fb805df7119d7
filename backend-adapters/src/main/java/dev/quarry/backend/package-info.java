/** Compute backend SPI: where invocations of a function run. */
@NullMarked
package dev.quarry.backend;

import org.jspecify.annotations.NullMarked;
