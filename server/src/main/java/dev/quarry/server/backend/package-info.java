/**
 * Where invocations run: backend plug-ins, and the lanes opened through them.
 *
 * <h2>The plug-in SPI</h2>
 *
 * <p>Each backend kind ({@code local}, {@code lambda}, later {@code azure-functions} and {@code
 * kubernetes}) is one Spring bean implementing {@link dev.quarry.server.backend.BackendPlugin}:
 *
 * <ul>
 *   <li>{@code kind()}: the name profiles and {@code quarry.backend.type} use;
 *   <li>{@code settingNames()} and {@code validate(settings)}: its own profile settings (the common
 *       resilience settings of {@link dev.quarry.server.backend.ProfileSettings} are checked for
 *       every kind by {@link dev.quarry.server.backend.BackendPlugins}), refused with a 400 when a
 *       profile is written;
 *   <li>{@code credentials()}: a {@link dev.quarry.server.backend.CredentialRule}, which credential
 *       kinds a profile may or must name;
 *   <li>{@code unavailable()}: why this server cannot run the kind as configured (refused on
 *       submit, and at start for the default lane);
 *   <li>{@code open(LaneRequest)}: the lane's raw backend and how the dispatcher treats it, as an
 *       {@link dev.quarry.server.backend.OpenedLane}; the registry adds the resilience decorator
 *       and closes the backend when the lane retires;
 *   <li>{@code hasRuntimes()} and {@link dev.quarry.server.backend.OpenedLane#runtimes()}: an
 *       optional {@link dev.quarry.server.backend.BackendRuntimes} API over the lane's worker
 *       deployments.
 * </ul>
 *
 * <p>Adding a backend is adding one such class (in its own package, e.g. {@code backend.azure});
 * nothing else names a kind. {@link dev.quarry.server.backend.BackendRegistry} opens the default
 * lane of {@code quarry.backend.type} (settings {@code quarry.backend.settings.*}) at start and a
 * lane per (tenant, profile) on first use, rebuilt when the profile changes; a replaced lane closes
 * when its last invocation in flight ends. Decisions: {@code docs/adr/0010-backend-plugins.md}.
 */
@NullMarked
package dev.quarry.server.backend;

import org.jspecify.annotations.NullMarked;
