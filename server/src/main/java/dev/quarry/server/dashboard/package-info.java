/**
 * The live web dashboard, served by the server at {@code /} on the REST port: sign-in with an API
 * key into a session, jobs and their futures followed live over Server-Sent Events, charts, and
 * read-mostly pages of the tenant's settings. Everything is in {@code internal}; nothing here is
 * API. See docs/adr/0016-dashboard.md.
 */
@NullMarked
package dev.quarry.server.dashboard;

import org.jspecify.annotations.NullMarked;
