/** Function bundles: content-addressed blobs (jars, serialized functions) and named functions. */
@NullMarked
package dev.quarry.server.functions;

import org.jspecify.annotations.NullMarked;
