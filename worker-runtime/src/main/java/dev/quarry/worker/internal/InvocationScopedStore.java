package dev.quarry.worker.internal;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Base of the stores a worker gets for one invocation (pre-signed URLs, the local worker pipe): it
 * may read and write the objects granted to that invocation and nothing else, so it never deletes
 * or lists. {@link #read} is {@link #open} read to the end; a stream is stored by reading it into
 * memory (granted objects are bounded) and calling {@link #put(String, byte[])}.
 */
public abstract class InvocationScopedStore implements ObjectStore {

  @Override
  public final void put(String key, InputStream data, long length) {
    try {
      put(key, data.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8)));
    } catch (IOException e) {
      throw new StorageException("cannot read the data to store under '" + key + "'", false, e);
    }
  }

  @Override
  public final Optional<byte[]> read(String key) {
    Optional<InputStream> in = open(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream stream = in.get()) {
      return Optional.of(stream.readAllBytes());
    } catch (IOException e) {
      throw new StorageException("reading '" + key + "' failed", true, e);
    }
  }

  /**
   * @throws StorageException always: workers may not delete objects
   */
  @Override
  public final void delete(String key) {
    throw new StorageException("workers may not delete objects ('" + key + "')", false);
  }

  /**
   * @throws StorageException always: workers may not list objects
   */
  @Override
  public final List<String> list(String prefix) {
    throw new StorageException("workers may not list objects ('" + prefix + "')", false);
  }
}
