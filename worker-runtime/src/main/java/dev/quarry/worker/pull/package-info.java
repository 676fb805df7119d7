/**
 * The pull worker: a process on any machine (or a pod) that connects to the server's {@code
 * WorkerService} with a worker token, takes invocations and runs them with the same {@link
 * dev.quarry.worker.TaskRunner} as the local workers. Entry point {@link
 * dev.quarry.worker.pull.PullWorkerMain}; protocol and decisions in {@code
 * docs/adr/0019-pull-workers.md}.
 */
@NullMarked
package dev.quarry.worker.pull;

import org.jspecify.annotations.NullMarked;
