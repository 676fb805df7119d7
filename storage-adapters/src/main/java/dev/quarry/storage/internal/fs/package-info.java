/** Local filesystem {@link dev.quarry.storage.ObjectStore} (type {@code fs}). */
@NullMarked
package dev.quarry.storage.internal.fs;

import org.jspecify.annotations.NullMarked;
