/**
 * What runs inside the emulator's child JVMs: a minimal Java worker that invokes the deployed HTTP
 * trigger method with the {@code azure-functions-java-library} types. Not API.
 */
@NullMarked
package dev.quarry.azure.emulator.child;

import org.jspecify.annotations.NullMarked;
