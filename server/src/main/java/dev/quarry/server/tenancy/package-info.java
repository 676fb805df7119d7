/** Tenants (teams) and their API keys: created by the operator and by tenant admins. */
@NullMarked
package dev.quarry.server.tenancy;

import org.jspecify.annotations.NullMarked;
