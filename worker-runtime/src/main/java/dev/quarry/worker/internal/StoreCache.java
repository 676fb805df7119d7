package dev.quarry.worker.internal;

import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opened object stores, reused across invocations that carry the same storage settings. */
public final class StoreCache implements AutoCloseable {
  /** Used when an envelope names no storage type. */
  static final String DEFAULT_TYPE = "fs";

  private static final Logger log = LoggerFactory.getLogger(StoreCache.class);

  private record Key(String type, Map<String, String> settings) {}

  private final Map<Key, ObjectStore> stores = new ConcurrentHashMap<>();

  /**
   * The store for {@code settings}, opened on first use.
   *
   * @throws IllegalArgumentException if the type is unknown or a setting is invalid
   * @throws dev.quarry.storage.StorageException if the store cannot be opened
   */
  public ObjectStore open(StorageSettings settings) {
    String type = settings.getType().isEmpty() ? DEFAULT_TYPE : settings.getType();
    Key key = new Key(type, Map.copyOf(settings.getSettingsMap()));
    return stores.computeIfAbsent(key, k -> ObjectStores.open(k.type(), k.settings()));
  }

  @Override
  public void close() {
    stores.values().forEach(StoreCache::closeQuietly);
    stores.clear();
  }

  private static void closeQuietly(ObjectStore store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("Closing object store failed", e);
    }
  }
}
