/** Implementation of the local process backend: worker processes, dispatch, crash handling. */
@NullMarked
package dev.quarry.backend.internal.local;

import org.jspecify.annotations.NullMarked;
