/** The Job-based implementation of {@link dev.quarry.backend.kubernetes.WorkerPods}. */
@NullMarked
package dev.quarry.backend.internal.kubernetes;

import org.jspecify.annotations.NullMarked;
