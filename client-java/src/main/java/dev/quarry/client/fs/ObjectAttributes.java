package dev.quarry.client.fs;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code quarry://} path is: an object (a regular file with its size, time and ETag as its
 * file key) or a prefix that other objects share (a directory of size 0).
 */
record ObjectAttributes(boolean directory, long size, Instant modified, @Nullable String etag)
    implements BasicFileAttributes {
  static ObjectAttributes ofDirectory() {
    return new ObjectAttributes(true, 0, Instant.EPOCH, null);
  }

  @Override
  public FileTime lastModifiedTime() {
    return FileTime.from(modified);
  }

  @Override
  public FileTime lastAccessTime() {
    return lastModifiedTime();
  }

  @Override
  public FileTime creationTime() {
    return lastModifiedTime();
  }

  @Override
  public boolean isRegularFile() {
    return !directory;
  }

  @Override
  public boolean isDirectory() {
    return directory;
  }

  @Override
  public boolean isSymbolicLink() {
    return false;
  }

  @Override
  public boolean isOther() {
    return false;
  }

  @Override
  public @Nullable Object fileKey() {
    return etag;
  }
}
