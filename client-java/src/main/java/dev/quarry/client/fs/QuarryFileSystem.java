package dev.quarry.client.fs;

import dev.quarry.client.QuarryStorage;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/** The objects of one bucket as a file system; closing it closes its connection. */
final class QuarryFileSystem extends FileSystem {
  private final QuarryFileSystemProvider provider;
  private final String bucket;
  private final QuarryStorage storage;
  private volatile boolean open = true;

  QuarryFileSystem(QuarryFileSystemProvider provider, String bucket, QuarryStorage storage) {
    this.provider = provider;
    this.bucket = bucket;
    this.storage = storage;
  }

  String bucket() {
    return bucket;
  }

  QuarryStorage storage() {
    if (!open) {
      throw new java.nio.file.ClosedFileSystemException();
    }
    return storage;
  }

  @Override
  public QuarryFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      provider.forget(this);
      storage.close();
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(QuarryPath.parse(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    return QuarryPath.parse(this, more.length == 0 ? first : first + "/" + String.join("/", more));
  }

  /** {@code glob:} and {@code regex:} as the default file system has them, on the path's text. */
  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher local = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
    return path -> local.matches(Path.of(path.toString()));
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("objects have no owners");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("quarry:// paths cannot be watched");
  }

  @Override
  public String toString() {
    return QuarryFileSystemProvider.SCHEME + "://" + bucket;
  }
}
