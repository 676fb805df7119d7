/** Keeps the server's long-running loops alive and reports on them (restarts, health). */
@NullMarked
package dev.quarry.server.supervision;

import org.jspecify.annotations.NullMarked;
