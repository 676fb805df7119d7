/** Backend kind {@code azure-functions}: the worker as an Azure function app. */
@NullMarked
package dev.quarry.server.backend.azure;

import org.jspecify.annotations.NullMarked;
