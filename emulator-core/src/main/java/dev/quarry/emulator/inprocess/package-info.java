/**
 * Function bodies that an emulator runs in its own JVM instead of a child JVM (benchmarks of the
 * caller's dispatch path), shared by the Lambda and Azure Functions emulators.
 */
@NullMarked
package dev.quarry.emulator.inprocess;

import org.jspecify.annotations.NullMarked;
