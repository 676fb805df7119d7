/** The gRPC endpoint: JobService, reflection and health, with auth and error mapping. */
@NullMarked
package dev.quarry.server.grpc;

import org.jspecify.annotations.NullMarked;
