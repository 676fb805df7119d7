/** Implementation of the Azure Functions backend; not API. */
@NullMarked
package dev.quarry.backend.internal.azure;

import org.jspecify.annotations.NullMarked;
