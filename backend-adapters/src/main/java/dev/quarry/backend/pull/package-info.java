/**
 * Pull pools: a backend lane whose workers connect to the server and take invocations (standalone
 * workers started by hand, later pods of the Kubernetes backend). Created with {@link
 * dev.quarry.backend.pull.PullPools#create}; a transport (the server's gRPC {@code WorkerService})
 * connects each worker with {@link dev.quarry.backend.pull.PullPool#connect} and feeds its messages
 * to the returned {@link dev.quarry.backend.pull.WorkerSession}.
 */
@NullMarked
package dev.quarry.backend.pull;

import org.jspecify.annotations.NullMarked;
