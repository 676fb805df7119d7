package dev.quarry.server.storage;

import dev.quarry.proto.v1.StorageSettings;
import java.util.Map;

/**
 * How workers reach the store: the non-secret settings that travel in every envelope, and the
 * secrets that local worker processes get through their environment instead.
 */
public record WorkerStorage(StorageSettings settings, Map<String, String> secretEnvironment) {
  @Override
  public String toString() {
    return "WorkerStorage[type=" + settings.getType() + ", secrets=" + secretEnvironment.keySet() + "]";
  }
}
