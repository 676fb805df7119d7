/**
 * The {@code quarry} command-line tool: picocli commands over the Java client ({@code
 * dev.quarry.client}). {@link dev.quarry.cli.QuarryCli} is the entry point; {@link
 * dev.quarry.cli.ExitCodes} lists the exit codes scripts can rely on.
 */
@NullMarked
package dev.quarry.cli;

import org.jspecify.annotations.NullMarked;
