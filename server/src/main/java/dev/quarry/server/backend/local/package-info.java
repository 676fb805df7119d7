/** The {@code local} backend plug-in: warm worker JVMs on this machine. */
@NullMarked
package dev.quarry.server.backend.local;

import org.jspecify.annotations.NullMarked;
