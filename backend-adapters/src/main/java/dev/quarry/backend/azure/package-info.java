/**
 * The Azure Functions backend: deploys the worker as a Linux function app through the App Service
 * management SDK ({@link AzureFunctionsRuntimes}) and runs invocations as HTTPS POSTs to its HTTP
 * trigger with the function key ({@link AzureFunctionsBackend#create}).
 */
@NullMarked
package dev.quarry.backend.azure;

import org.jspecify.annotations.NullMarked;
