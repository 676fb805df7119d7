/** The database: the configured PostgreSQL, or an embedded one that keeps its data. */
@NullMarked
package dev.quarry.server.db;

import org.jspecify.annotations.NullMarked;
