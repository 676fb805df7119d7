/** Errors every endpoint shares and how they map to HTTP and gRPC statuses. */
@NullMarked
package dev.quarry.server.api;

import org.jspecify.annotations.NullMarked;
