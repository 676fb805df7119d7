/**
 * Worker runtime: {@link dev.quarry.worker.TaskRunner} runs one {@link
 * dev.quarry.proto.v1.TaskEnvelope} and is the single core every platform entry point (local
 * process, Lambda, Azure, Kubernetes) adapts to.
 */
@NullMarked
package dev.quarry.worker;

import org.jspecify.annotations.NullMarked;
