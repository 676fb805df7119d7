package dev.quarry.storage.internal.fs;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreProvider;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider of type {@code fs}: objects are files under a root directory.
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code root} (required): directory holding the objects; created if missing.
 * </ul>
 *
 * <p>Limitation of the filesystem layout: a key cannot be both an object and a prefix of another
 * object ({@code a} and {@code a/b}); the second put fails with a non-retryable {@link
 * StorageException}.
 */
public final class FileSystemObjectStoreProvider implements ObjectStoreProvider {

  /** Setting: the root directory. */
  public static final String ROOT = "root";

  private static final Logger log = LoggerFactory.getLogger(FileSystemObjectStoreProvider.class);
  private static final Set<String> KNOWN = Set.of(ROOT, "type");

  /** Used by {@link java.util.ServiceLoader}. */
  public FileSystemObjectStoreProvider() {}

  @Override
  public String type() {
    return "fs";
  }

  /**
   * Opens a filesystem store.
   *
   * @throws IllegalArgumentException if {@code root} is missing or not a usable path
   * @throws StorageException if the root directory cannot be created or is not a directory
   */
  @Override
  public ObjectStore create(Map<String, String> settings) {
    String value = settings.get(ROOT);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("fs object store needs setting '" + ROOT + "'");
    }
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      log.warn("fs object store ignores unknown settings {}", unknown);
    }
    Path root;
    try {
      root = Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("fs object store: invalid root '" + value + "'", e);
    }
    try {
      Files.createDirectories(root);
      root = root.toRealPath();
    } catch (IOException e) {
      throw new StorageException(
          "fs object store: cannot create root directory " + root + ": " + e, false, e);
    }
    log.info("fs object store at {}", root);
    return new FileSystemObjectStore(root);
  }
}
