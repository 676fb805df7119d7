/**
 * Entry point of a worker JVM started by the local process backend: envelopes arrive on stdin,
 * summaries leave on stdout, both as length-delimited protobuf messages.
 */
@NullMarked
package dev.quarry.worker.local;

import org.jspecify.annotations.NullMarked;
