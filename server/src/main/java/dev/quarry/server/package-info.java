/** The Quarry server: REST and gRPC endpoints, persistence, dispatch and result streaming. */
@NullMarked
package dev.quarry.server;

import org.jspecify.annotations.NullMarked;
