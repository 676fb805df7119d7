/** API keys: how callers prove who they are, and what their role lets them do. */
@NullMarked
package dev.quarry.server.auth;

import org.jspecify.annotations.NullMarked;
