package dev.quarry.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Content to upload, addressed by its SHA-256. */
public sealed interface Blob permits Blob.FileBlob, Blob.BytesBlob, DirectoryJar.Packed {
  /** Lower-case hex SHA-256 of the content. */
  String digest();

  /** Content length in bytes. */
  long size();

  /** Where the content comes from, for messages. */
  String describe();

  /**
   * The content.
   *
   * @throws IOException if it cannot be read (or changed since it was hashed)
   */
  InputStream open() throws IOException;

  /** A jar file, uploaded as-is. */
  record FileBlob(Path path, String digest, long size) implements Blob {
    @Override
    public String describe() {
      return path.toString();
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  /** Bytes held in memory (a serialized function). */
  record BytesBlob(String describe, String digest, byte[] bytes) implements Blob {
    /** Wraps {@code bytes}, computing their digest. */
    public static BytesBlob of(String describe, byte[] bytes) {
      return new BytesBlob(describe, Digests.of(bytes), bytes);
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }
  }
}
