/** Team-shared cloud credentials (write-only, sealed at rest) and backend profiles using them. */
@NullMarked
package dev.quarry.server.credentials;

import org.jspecify.annotations.NullMarked;
