/** The Storage API's implementation: name rules, the object index in PostgreSQL, quotas. */
@NullMarked
package dev.quarry.server.storage.internal;

import org.jspecify.annotations.NullMarked;
