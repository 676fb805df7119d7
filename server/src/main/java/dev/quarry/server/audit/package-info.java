/** The audit log: who (which key) did what to which resource, and when. */
@NullMarked
package dev.quarry.server.audit;

import org.jspecify.annotations.NullMarked;
