package dev.quarry.storage.internal.fs;

import dev.quarry.storage.InvalidKeyException;
import dev.quarry.storage.ObjectKeys;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects are regular files under {@code root} at their key path. Writes go to a temporary file in
 * the target directory, then are renamed over the target atomically (no fsync). Temporary names
 * contain {@code ~}, which keys cannot, so they never collide with objects and are not listed.
 * Deleting an object removes directories it leaves empty.
 *
 * <p>Long because one method per ObjectStore operation (put, streaming put, read, ranges, list with
 * paging, delete) with atomic writes and path checks.
 */
final class FileSystemObjectStore implements ObjectStore {

  static final String TEMP_PREFIX = ".quarry-tmp~";

  private static final Logger log = LoggerFactory.getLogger(FileSystemObjectStore.class);
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_ATTEMPTS = 5;

  private final Path root;

  FileSystemObjectStore(Path root) {
    this.root = root;
  }

  @Override
  public void put(String key, byte[] data) {
    write(key, out -> out.write(data));
  }

  @Override
  public void put(String key, InputStream data, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    write(key, out -> copy(key, data, length, out));
  }

  @Override
  public boolean canWriteAt() {
    return true;
  }

  @Override
  public void writeAt(String key, long offset, InputStream data, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    Path target = path(key);
    try {
      Files.createDirectories(target.getParent());
      try (java.nio.channels.FileChannel out =
          java.nio.channels.FileChannel.open(
              target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
        long position = offset;
        long end = offset + length;
        while (position < end) {
          int n;
          try {
            n = data.read(buffer, 0, (int) Math.min(buffer.length, end - position));
          } catch (IOException e) {
            throw new StorageException(
                "cannot write '" + key + "': reading input failed: " + e, false, e);
          }
          if (n < 0) {
            throw new StorageException(
                "cannot write '"
                    + key
                    + "': input ended after "
                    + (position - offset)
                    + " of "
                    + length
                    + " bytes",
                false);
          }
          java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buffer, 0, n);
          while (b.hasRemaining()) {
            position += out.write(b, position);
          }
        }
      }
    } catch (IOException e) {
      throw failure("write", key, e);
    }
  }

  /** Copies file to file: {@code transferTo} between two file streams runs in the kernel. */
  @Override
  public void compose(String key, List<String> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("compose needs at least one part");
    }
    List<Path> files = parts.stream().map(this::path).toList();
    for (int i = 0; i < files.size(); i++) {
      if (!Files.isRegularFile(files.get(i))) {
        throw new StorageException(
            "cannot compose '" + key + "': part '" + parts.get(i) + "' is missing", false);
      }
    }
    write(
        key,
        out -> {
          for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
              in.transferTo(out);
            }
          }
        });
  }

  @Override
  public Optional<InputStream> open(String key) {
    Path path = path(key);
    try {
      InputStream in = Files.newInputStream(path);
      if (Files.isDirectory(path)) {
        in.close();
        return Optional.empty();
      }
      return Optional.of(in);
    } catch (IOException e) {
      return absentOrThrow("open", key, path, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) {
    Path path = path(key);
    try {
      return Optional.of(Files.readAllBytes(path));
    } catch (IOException e) {
      return absentOrThrow("read", key, path, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    Path path = path(key);
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      return attrs.isRegularFile() ? Optional.of(attrs.size()) : Optional.empty();
    } catch (IOException e) {
      return absentOrThrow("stat", key, path, e);
    }
  }

  @Override
  public void delete(String key) {
    Path path = path(key);
    try {
      if (Files.isDirectory(path) || !Files.deleteIfExists(path)) {
        return;
      }
    } catch (IOException e) {
      absentOrThrow("delete", key, path, e);
      return;
    }
    pruneEmptyParents(path.getParent());
  }

  @Override
  public List<String> list(String prefix) {
    ObjectKeys.validatePrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try {
      Files.walkFileTree(start, new Lister(prefix, keys));
    } catch (IOException e) {
      throw failure("list", prefix, e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public String toString() {
    return "FileSystemObjectStore[root=" + root + "]";
  }

  // --- writing ---

  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private void write(String key, Body body) {
    Path target = path(key);
    Path dir = target.getParent();
    Path temp = dir.resolve(TEMP_PREFIX + randomSuffix());
    boolean created = false;
    try {
      try (OutputStream out = createTemp(key, temp)) {
        created = true;
        body.writeTo(out);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      if (created) {
        deleteQuietly(temp);
      }
      if (Files.isDirectory(target)) {
        throw new StorageException(
            "cannot put '" + key + "': it is a prefix of other objects in this fs store", false, e);
      }
      if (blockedByFile(target)) {
        throw new StorageException(
            "cannot put '" + key + "': a parent of it is an object in this fs store", false, e);
      }
      throw failure("put", key, e);
    } catch (RuntimeException | Error e) {
      if (created) {
        deleteQuietly(temp);
      }
      throw e;
    }
  }

  /** Creates the temp file, creating parents (again, if a concurrent delete pruned them). */
  private OutputStream createTemp(String key, Path temp) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
        try {
          Files.createDirectories(temp.getParent());
        } catch (FileAlreadyExistsException | NotDirectoryException conflict) {
          throw new StorageException(
              "cannot put '" + key + "': a parent of it is an object in this fs store",
              false,
              conflict);
        }
      }
    }
  }

  private static void copy(String key, InputStream in, long length, OutputStream out)
      throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
    long remaining = length;
    while (remaining > 0) {
      int n;
      try {
        n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      } catch (IOException e) {
        throw new StorageException(
            "cannot put '" + key + "': reading input failed: " + e, false, e);
      }
      if (n < 0) {
        throw new StorageException(
            "cannot put '"
                + key
                + "': input ended after "
                + (length - remaining)
                + " of "
                + length
                + " bytes",
            false);
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
  }

  private static String randomSuffix() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
  }

  // --- helpers ---

  private Path path(String key) {
    Path path = root.resolve(ObjectKeys.validate(key));
    if (!path.startsWith(root) || path.equals(root)) {
      throw new InvalidKeyException("key escapes the store root: " + key);
    }
    return path;
  }

  /** Empty if the failure means "no such object", otherwise throws. */
  private <T> Optional<T> absentOrThrow(String op, String key, Path path, IOException e) {
    if (e instanceof NoSuchFileException || Files.isDirectory(path) || blockedByFile(path)) {
      return Optional.empty();
    }
    throw failure(op, key, e);
  }

  /** Whether an ancestor of {@code path} below the root is a regular file. */
  private boolean blockedByFile(Path path) {
    for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isRegularFile(p)) {
        return true;
      }
    }
    return false;
  }

  private void pruneEmptyParents(@Nullable Path dir) {
    for (Path p = dir; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        log.debug("could not remove empty directory {}: {}", p, e.toString());
        return;
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      log.warn("could not delete temporary file {}: {}", temp, e.toString());
    }
  }

  static StorageException failure(String op, String key, IOException e) {
    boolean permanent =
        e instanceof AccessDeniedException
            || e instanceof FileAlreadyExistsException
            || e instanceof NotDirectoryException
            || e instanceof DirectoryNotEmptyException
            || e instanceof FileSystemLoopException;
    return new StorageException("fs " + op + " of '" + key + "' failed: " + e, !permanent, e);
  }

  private String keyOf(Path file) {
    String relative = root.relativize(file).toString();
    char separator = file.getFileSystem().getSeparator().charAt(0);
    return separator == '/' ? relative : relative.replace(separator, '/');
  }

  /** Collects regular files whose key starts with the prefix; skips temp files and stray names. */
  private final class Lister extends SimpleFileVisitor<Path> {
    private final String prefix;
    private final List<String> keys;

    Lister(String prefix, List<String> keys) {
      this.prefix = prefix;
      this.keys = keys;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (dir.equals(root)) {
        return FileVisitResult.CONTINUE;
      }
      String dirKey = keyOf(dir) + "/";
      return dirKey.startsWith(prefix) || prefix.startsWith(dirKey)
          ? FileVisitResult.CONTINUE
          : FileVisitResult.SKIP_SUBTREE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      Path name = file.getFileName();
      if (attrs.isRegularFile() && name != null && !name.toString().startsWith(TEMP_PREFIX)) {
        String key = keyOf(file);
        if (key.startsWith(prefix) && ObjectKeys.isValid(key)) {
          keys.add(key);
        }
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE; // removed concurrently
      }
      throw e;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e)
        throws IOException {
      if (e != null && !(e instanceof NoSuchFileException)) {
        throw e;
      }
      return FileVisitResult.CONTINUE;
    }
  }
}
