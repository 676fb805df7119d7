/** What every backend's per-invocation storage grants share: the tenant scope of their keys. */
@NullMarked
package dev.quarry.backend.internal.grants;

import org.jspecify.annotations.NullMarked;
