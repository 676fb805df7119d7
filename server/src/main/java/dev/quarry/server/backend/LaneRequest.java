package dev.quarry.server.backend;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a plug-in needs to open a lane.
 *
 * @param tenant the tenant of a profile lane; empty for the default lane, which every tenant shares
 * @param key {@code tenant/profile}, or {@link #DEFAULT_KEY} for the default lane
 * @param profile the profile's name; empty for the default lane
 * @param settings the profile's settings (validated when written), or {@code
 *     quarry.backend.settings.*} for the default lane
 * @param credential the name of the profile's credential, null when it has none
 */
public record LaneRequest(
    String tenant,
    String key,
    String profile,
    Map<String, String> settings,
    @Nullable String credential) {
  /** Key of the default lane; never a profile lane's key, which always holds a slash. */
  public static final String DEFAULT_KEY = "default";

  public LaneRequest {
    settings = Map.copyOf(settings);
  }

  /** The request of the server's default lane. */
  public static LaneRequest defaultLane(Map<String, String> settings) {
    return new LaneRequest("", DEFAULT_KEY, "", settings, null);
  }

  /** Whether this is the default lane. */
  public boolean isDefault() {
    return profile.isEmpty();
  }
}
