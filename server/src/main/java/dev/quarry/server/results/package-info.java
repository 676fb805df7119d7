/** Reading results back: futures in completion or input order, bytes straight from storage. */
@NullMarked
package dev.quarry.server.results;

import org.jspecify.annotations.NullMarked;
