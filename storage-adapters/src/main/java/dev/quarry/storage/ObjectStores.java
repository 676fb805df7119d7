package dev.quarry.storage;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds {@link ObjectStoreProvider}s with {@link ServiceLoader} and opens stores by type.
 *
 * <pre>{@code
 * ObjectStore store = ObjectStores.open("fs", Map.of("root", "/var/lib/quarry/objects"));
 * }</pre>
 */
public final class ObjectStores {

  private ObjectStores() {}

  /**
   * Opens a store of the given type.
   *
   * @param type provider type, e.g. {@code fs} or {@code s3}
   * @param settings type-specific settings
   * @return a new store; the caller closes it
   * @throws IllegalArgumentException if no provider has this type, or the settings are invalid
   * @throws StorageException if the store cannot be reached or initialised
   */
  public static ObjectStore open(String type, Map<String, String> settings) {
    ObjectStoreProvider provider = Registry.PROVIDERS.get(type);
    if (provider == null) {
      throw new IllegalArgumentException(
          "unknown object store type '" + type + "'; known types: " + types());
    }
    return provider.create(Map.copyOf(settings));
  }

  /**
   * The types of all registered providers, sorted.
   *
   * @return an unmodifiable sorted set
   */
  public static Set<String> types() {
    return Registry.PROVIDERS.keySet();
  }

  /** Loaded once, on first use (ServiceLoader instances are not thread-safe). */
  private static final class Registry {
    static final Map<String, ObjectStoreProvider> PROVIDERS = load();

    private static Map<String, ObjectStoreProvider> load() {
      Map<String, ObjectStoreProvider> byType = new TreeMap<>();
      for (ObjectStoreProvider provider :
          ServiceLoader.load(ObjectStoreProvider.class, ObjectStores.class.getClassLoader())) {
        ObjectStoreProvider previous = byType.putIfAbsent(provider.type(), provider);
        if (previous != null && previous.getClass() != provider.getClass()) {
          throw new IllegalStateException(
              "two object store providers for type '"
                  + provider.type()
                  + "': "
                  + previous.getClass().getName()
                  + " and "
                  + provider.getClass().getName());
        }
      }
      return Collections.unmodifiableMap(byType);
    }
  }
}
