/**
 * Pull workers' side of the server: worker tokens (one tenant, one profile of backend {@code
 * standalone}; hashed, shown once, revocable, audited) and the sessions of connected workers, which
 * a revocation cuts off at once. The gRPC {@code WorkerService} itself is in {@code grpc}; the
 * pools the workers serve are the {@code standalone} plug-in's lanes. Decisions: {@code
 * docs/adr/0019-pull-workers.md}.
 */
@NullMarked
package dev.quarry.server.workers;

import org.jspecify.annotations.NullMarked;
