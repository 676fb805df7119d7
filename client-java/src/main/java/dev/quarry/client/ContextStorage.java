package dev.quarry.client;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The Storage API from inside a running function: the same buckets, names, limits and quota as
 * {@link QuarryStorage}, scoped to the team that submitted the job. A worker holds no storage
 * credentials; each call is made on its behalf, as the job's team, only while the future runs.
 *
 * <p>Failures: {@link IllegalArgumentException} for a bad bucket, key or prefix; {@link
 * UncheckedIOException} for a missing object ({@link java.nio.file.NoSuchFileException} as the
 * cause), a size or quota limit, or a store failure; {@link SecurityException} when the call is no
 * longer allowed (the future has ended); {@link UnsupportedOperationException} on a backend that
 * gives functions no storage.
 */
public interface ContextStorage {
  /** The whole object. */
  byte[] getObject(String bucket, String key);

  /** Up to {@code length} bytes from {@code offset} (fewer at the end of the object). */
  byte[] getObject(String bucket, String key, long offset, long length);

  /** The whole object, decoded as UTF-8. */
  String getObjectAsString(String bucket, String key);

  /** The object as a stream that fetches its bytes (in parts of a few MiB) as they are read. */
  InputStream openObject(String bucket, String key);

  /** {@code length} bytes from {@code offset} as a stream (fewer at the end of the object). */
  InputStream openObject(String bucket, String key, long offset, long length);

  /** The object's size, or empty when it does not exist. */
  Optional<Long> size(String bucket, String key);

  /** Stores {@code data} as {@code bucket/key}, replacing any object there. */
  void putObject(String bucket, String key, byte[] data);

  /** Stores {@code text} (UTF-8) as {@code bucket/key}. */
  void putObject(String bucket, String key, String text);

  /** The keys of {@code bucket} starting with {@code prefix}, in key order (all pages). */
  List<String> listKeys(String bucket, String prefix);

  /**
   * @return whether the object existed
   */
  boolean deleteObject(String bucket, String key);
}
