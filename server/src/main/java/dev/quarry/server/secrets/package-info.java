/** Secrets at rest: AES-256-GCM under master keys from configuration, with rotation. */
@NullMarked
package dev.quarry.server.secrets;

import org.jspecify.annotations.NullMarked;
