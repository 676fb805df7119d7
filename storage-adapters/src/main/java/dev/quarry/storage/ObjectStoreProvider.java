package dev.quarry.storage;

import java.util.Map;

/**
 * Creates {@link ObjectStore}s of one type. Implementations are registered in {@code
 * META-INF/services/dev.quarry.storage.ObjectStoreProvider} and found by {@link ObjectStores}.
 */
public interface ObjectStoreProvider {

  /** The type name used in configuration, e.g. {@code fs} or {@code s3}. */
  String type();

  /**
   * Opens a store.
   *
   * @param settings type-specific settings (see each implementation's documentation)
   * @throws IllegalArgumentException if a required setting is missing or invalid
   */
  ObjectStore create(Map<String, String> settings);
}
