package dev.quarry.server.storage;

import dev.quarry.proto.v1.StorageSettings;

/**
 * How workers reach the store: the non-secret settings that travel in every envelope. Workers get
 * no storage secrets from the server: local workers reach storage only through their backend,
 * Lambda workers through their execution role.
 */
public record WorkerStorage(StorageSettings settings) {
  @Override
  public String toString() {
    return "WorkerStorage[type=" + settings.getType() + "]";
  }
}
