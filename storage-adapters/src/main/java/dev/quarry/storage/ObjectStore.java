package dev.quarry.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat namespace of immutable-ish byte objects addressed by slash-separated keys.
 *
 * <p>Implementations: local filesystem ({@code fs}, the default), the S3 API ({@code s3}) and Azure
 * Blob Storage ({@code azure-blob}). Keys are validated with {@link ObjectKeys#validate(String)}:
 * relative, slash-separated, at most 1024 characters of ASCII letters, digits and {@code - _ . =
 * + @}, no {@code .}, {@code ..} or empty segments. Writes of the same key are last-writer-wins and
 * atomic: a reader sees the whole old object or the whole new one.
 *
 * <pre>{@code
 * try (ObjectStore store = ObjectStores.open("fs", Map.of("root", "/var/lib/quarry"))) {
 *   store.put("tenants/t1/jobs/j1/results/0.1", bytes);
 *   try (InputStream in = store.open("tenants/t1/jobs/j1/results/0.1").orElseThrow()) { ... }
 * }
 * }</pre>
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Stores {@code data} under {@code key}, replacing any previous object.
   *
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be written (see {@link
   *     StorageException#retryable()})
   */
  void put(String key, byte[] data);

  /**
   * Stores exactly {@code length} bytes read from {@code data} under {@code key}; bytes after
   * {@code length} are not read. The stream is not closed. If the stream ends early the previous
   * object (if any) is left unchanged.
   *
   * @throws InvalidKeyException if the key is not valid
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws StorageException if the stream ends early or fails (not retryable), or the store cannot
   *     be written
   */
  void put(String key, InputStream data, long length);

  /**
   * Stores the content of {@code file} under {@code key}. Prefer it over the stream form for data
   * already on disk: a store can re-read a file when a transfer must be retried.
   *
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the file cannot be read or the store cannot be written
   */
  default void putFile(String key, java.nio.file.Path file) {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      put(key, in, java.nio.file.Files.size(file));
    } catch (java.io.IOException e) {
      throw new StorageException("cannot read " + file + " to store '" + key + "'", false, e);
    }
  }

  /**
   * Opens the object for reading; the caller closes the stream.
   *
   * @return empty when no object has this key
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be read
   */
  Optional<InputStream> open(String key);

  /**
   * Opens {@code length} bytes of the object starting at byte {@code offset}; fewer if the object
   * ends first. The default skips; stores that can seek (a file, an HTTP {@code Range}) override it
   * so a range far into a large object costs no more than one at its start.
   *
   * @return empty when no object has this key
   * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be read
   */
  default Optional<InputStream> openRange(String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    Optional<InputStream> whole = open(key);
    if (whole.isEmpty()) {
      return whole;
    }
    InputStream in = whole.get();
    try {
      in.skipNBytes(offset);
    } catch (java.io.EOFException e) {
      // the object is shorter than offset: an empty range
      return Optional.of(InputStream.nullInputStream());
    } catch (java.io.IOException e) {
      throw new StorageException("cannot skip to " + offset + " in '" + key + "'", true, e);
    }
    return Optional.of(new BoundedInputStream(in, length));
  }

  /**
   * Reads a whole object into memory; use only for objects known to be small.
   *
   * @return empty when no object has this key
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be read
   */
  Optional<byte[]> read(String key);

  /**
   * Size in bytes of the object.
   *
   * @return empty when no object has this key
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be read
   */
  Optional<Long> size(String key);

  /**
   * Whether an object exists under {@code key}.
   *
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be read
   */
  default boolean exists(String key) {
    return size(key).isPresent();
  }

  /**
   * Deletes the object if present; deleting a missing key is not an error.
   *
   * @throws InvalidKeyException if the key is not valid
   * @throws StorageException if the store cannot be written
   */
  void delete(String key);

  /**
   * Keys starting with {@code prefix} (which may be empty or end in {@code /}), sorted
   * lexicographically. The prefix is a plain string prefix: {@code "jobs/j1"} also matches {@code
   * "jobs/j10/x"}; use {@code "jobs/j1/"} for one "directory".
   *
   * @throws InvalidKeyException if the prefix is not valid (see {@link
   *     ObjectKeys#validatePrefix(String)})
   * @throws StorageException if the store cannot be read
   */
  List<String> list(String prefix);

  /**
   * Stores under {@code key} the concatenation of the objects {@code parts}, in order, replacing
   * any previous object atomically as {@link #put(String, InputStream, long)} does; the parts are
   * left in place. The default streams the parts through {@link #put(String, InputStream, long)};
   * stores override it where the copy is cheaper (the filesystem copies file to file in the
   * kernel).
   *
   * <pre>{@code
   * store.compose("objects/big", List.of("parts/1", "parts/2"));
   * }</pre>
   *
   * @throws InvalidKeyException if a key is not valid
   * @throws IllegalArgumentException if {@code parts} is empty
   * @throws StorageException if a part is missing (not retryable) or the store fails
   */
  default void compose(String key, List<String> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("compose needs at least one part");
    }
    long length = 0;
    for (String part : parts) {
      length +=
          size(part)
              .orElseThrow(
                  () ->
                      new StorageException(
                          "cannot compose '" + key + "': part '" + part + "' is missing", false));
    }
    java.util.Iterator<String> next = parts.iterator();
    java.util.Enumeration<InputStream> streams =
        new java.util.Enumeration<>() {
          @Override
          public boolean hasMoreElements() {
            return next.hasNext();
          }

          @Override
          public InputStream nextElement() {
            String part = next.next();
            return open(part)
                .orElseThrow(
                    () ->
                        new StorageException(
                            "cannot compose '" + key + "': part '" + part + "' vanished", false));
          }
        };
    try (InputStream in = new java.io.SequenceInputStream(streams)) {
      put(key, in, length);
    } catch (java.io.IOException e) {
      throw new StorageException("cannot compose '" + key + "': " + e, true, e);
    }
  }

  /**
   * Whether {@link #writeAt} works here: a store that can write a byte range into an object in
   * place (the filesystem) lets a multipart upload write its parts where they belong, so completing
   * it copies nothing.
   */
  default boolean canWriteAt() {
    return false;
  }

  /**
   * Writes exactly {@code length} bytes of {@code data} at byte {@code offset} of the object {@code
   * key}, creating it (with holes) if absent; its other bytes are left as they are. Not atomic:
   * only for objects no reader is given until all their ranges are written.
   *
   * @throws UnsupportedOperationException unless {@link #canWriteAt()}
   * @throws StorageException if the stream ends early (not retryable) or the store fails
   */
  default void writeAt(String key, long offset, InputStream data, long length) {
    throw new UnsupportedOperationException("this store cannot write at an offset");
  }

  /**
   * A URL that lets its holder, without credentials, read ({@code write=false}: HTTP GET) or
   * replace ({@code write=true}: HTTP PUT) exactly the object {@code key}, until {@code ttl} has
   * passed. Workers that must not hold storage credentials get these for their invocation only. A
   * PUT should carry {@code x-ms-blob-type: BlockBlob}: Azure requires it, S3 ignores it.
   *
   * @return empty if this store cannot presign (the filesystem store)
   * @throws IllegalArgumentException if the key is invalid or {@code ttl} not positive
   */
  default Optional<java.net.URI> presign(String key, boolean write, java.time.Duration ttl) {
    return Optional.empty();
  }

  /** Releases clients and connections. */
  @Override
  default void close() {}
}
