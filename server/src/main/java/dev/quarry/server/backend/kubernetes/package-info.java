/**
 * Backend kind {@code kubernetes}: pull workers (ADR 0019) in pods of the team's cluster, scaled to
 * the profile's backlog as a Kubernetes Job in work-queue mode (ADR 0023).
 */
@NullMarked
package dev.quarry.server.backend.kubernetes;

import org.jspecify.annotations.NullMarked;
