/**
 * A local Azure for tests and benchmarks: Microsoft Entra's client-credentials token endpoint, the
 * Azure Resource Manager calls the App Service management SDK sends for function apps, and a
 * Functions host per app serving HTTP triggers from child JVMs. See {@link
 * dev.quarry.azure.emulator.AzureFunctionsEmulator}.
 */
@NullMarked
package dev.quarry.azure.emulator;

import org.jspecify.annotations.NullMarked;
