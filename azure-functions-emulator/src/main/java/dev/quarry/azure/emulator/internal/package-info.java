/** Implementation of the Azure Functions emulator; not API. */
@NullMarked
package dev.quarry.azure.emulator.internal;

import org.jspecify.annotations.NullMarked;
