/** The dashboard's security chain, controllers, live-update hub and view models. Not API. */
@NullMarked
package dev.quarry.server.dashboard.internal;

import org.jspecify.annotations.NullMarked;
