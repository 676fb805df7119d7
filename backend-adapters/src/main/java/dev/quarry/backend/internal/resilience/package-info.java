/** Implementation of the resilience decorator: Resilience4j wiring, per-tenant circuits. */
@NullMarked
package dev.quarry.backend.internal.resilience;

import org.jspecify.annotations.NullMarked;
