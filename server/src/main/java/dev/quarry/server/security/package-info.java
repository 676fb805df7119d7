/**
 * The HTTP edge: Spring Security filter chains, bearer-key authentication shared with gRPC, the
 * request firewall, and the JSON answers for everything refused before a controller runs.
 */
@NullMarked
package dev.quarry.server.security;

import org.jspecify.annotations.NullMarked;
