package dev.quarry.backend.local;

import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;

/**
 * Chooses the store an invocation's worker reads and writes through the backend, when not every
 * invocation uses the same one (a tenant's profile may name its own bucket). Called once per
 * invocation, before it is queued; the store it returns stays open at least until the invocation
 * ends.
 *
 * <pre>{@code
 * LocalBackendOptions.builder()
 *     .store(serverStore)
 *     .storeSelector(envelope -> stores.forProfile(envelope.getTenantId(), envelope.getProfile()))
 * }</pre>
 */
@FunctionalInterface
public interface StoreSelector {
  /**
   * @throws RuntimeException if the invocation's store cannot be opened; the invocation then fails
   *     permanently with its message
   */
  ObjectStore storeFor(TaskEnvelope envelope);
}
