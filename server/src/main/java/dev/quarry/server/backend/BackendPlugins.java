package dev.quarry.server.backend;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.server.storage.BucketNames;
import dev.quarry.server.storage.ProfileStores;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The backend plug-ins of this server, by kind. Knows no kind by name: Spring hands it every {@link
 * BackendPlugin} bean.
 */
@Component
public class BackendPlugins {
  private static final int MAX_TEXT = 2048;

  private final SortedMap<String, BackendPlugin> byKind = new TreeMap<>();

  /**
   * @throws IllegalStateException if two plug-ins claim the same kind, or a plug-in's own setting
   *     shadows a common one
   */
  public BackendPlugins(List<BackendPlugin> plugins) {
    for (BackendPlugin p : plugins) {
      BackendPlugin before = byKind.putIfAbsent(p.kind(), p);
      if (before != null) {
        throw new IllegalStateException(
            "two backend plug-ins for kind '"
                + p.kind()
                + "': "
                + before.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
      for (String name : p.settingNames()) {
        if (ProfileSettings.RESILIENCE.contains(name) || name.equals(ProfileStores.BUCKET)) {
          throw new IllegalStateException(
              "backend plug-in " + p.kind() + " declares the common setting '" + name + "'");
        }
      }
    }
  }

  /** The kinds this server runs, sorted. */
  public Set<String> kinds() {
    return byKind.keySet();
  }

  /** The plug-in of {@code kind}, if this server has one. */
  public Optional<BackendPlugin> find(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  /**
   * @throws ApiException INVALID_ARGUMENT naming the kinds this server runs
   */
  public BackendPlugin require(String kind) {
    BackendPlugin p = byKind.get(kind);
    if (p == null) {
      throw ApiException.invalid(
          "backend must be one of " + kinds() + ", got '" + JsonErrors.clip(kind) + "'");
    }
    return p;
  }

  /**
   * Checks a profile's backend, settings and credential kind: unknown settings, values over {@value
   * #MAX_TEXT} characters, the common resilience settings and {@code bucket} (its name only), then
   * the plug-in's own.
   *
   * @param credentialKind kind of the credential the profile names, null when it names none
   * @throws ApiException INVALID_ARGUMENT naming the first problem
   */
  public BackendPlugin validate(
      String kind, Map<String, String> settings, @Nullable String credentialKind) {
    BackendPlugin plugin = require(kind);
    validateSettings(plugin, settings);
    if (!plugin.credentials().accepts(credentialKind)) {
      throw ApiException.invalid(plugin.credentials().describe(kind));
    }
    return plugin;
  }

  /**
   * Checks settings of {@code plugin}'s kind.
   *
   * @throws ApiException INVALID_ARGUMENT naming the first unknown or invalid setting
   */
  public static void validateSettings(BackendPlugin plugin, Map<String, String> settings) {
    Set<String> allowed = new TreeSet<>(ProfileSettings.RESILIENCE);
    allowed.add(ProfileStores.BUCKET);
    allowed.addAll(plugin.settingNames());
    for (var e : settings.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw ApiException.invalid(
            "unknown setting '"
                + JsonErrors.clip(e.getKey())
                + "' for backend "
                + plugin.kind()
                + "; allowed: "
                + allowed);
      }
      if (e.getValue().length() > MAX_TEXT) {
        throw ApiException.invalid(
            "setting '" + e.getKey() + "' is longer than " + MAX_TEXT + " characters");
      }
    }
    ProfileSettings.validateResilience(settings);
    String bucket = settings.get(ProfileStores.BUCKET);
    if (bucket != null) {
      if (!plugin.supportsProfileBucket()) {
        throw ApiException.invalid(
            "setting 'bucket' is not supported for backend "
                + plugin.kind()
                + " yet: its workers reach a job's objects through the server's own store");
      }
      BucketNames.validate(bucket);
    }
    plugin.validate(settings);
  }
}
