/**
 * A pool of execution environments (child JVMs or in-process instances) shared by the Lambda and
 * Azure Functions emulators: reuse of idle instances, a per-function maximum, draining on deploy.
 */
@NullMarked
package dev.quarry.emulator.pool;

import org.jspecify.annotations.NullMarked;
