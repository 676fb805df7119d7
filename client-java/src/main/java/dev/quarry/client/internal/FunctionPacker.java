package dev.quarry.client.internal;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Packs a function for the server: the function serialized with {@link java.io.ObjectOutputStream}
 * (the payload blob) plus the client's classpath as blobs.
 */
public final class FunctionPacker {
  private final @Nullable List<Path> classpath;
  private final long recheckNanos;
  private volatile @Nullable Resolved resolved;

  private record Resolved(List<Path> entries, List<Blob> jars, long atNanos) {}

  /**
   * Checks the classpath for changes at every pack.
   *
   * @param classpath the entries to ship; null for {@code java.class.path} (read at each pack)
   */
  public FunctionPacker(@Nullable List<Path> classpath) {
    this(classpath, Duration.ZERO);
  }

  /**
   * @param classpath the entries to ship; null for {@code java.class.path} (read at each pack)
   * @param recheckInterval how long a resolved classpath is reused before the files are checked for
   *     changes again (zero: at every pack)
   */
  public FunctionPacker(@Nullable List<Path> classpath, Duration recheckInterval) {
    this.classpath = classpath == null ? null : List.copyOf(classpath);
    this.recheckNanos = recheckInterval.toNanos();
  }

  /**
   * Serializes {@code function} and resolves the classpath.
   *
   * @throws IllegalArgumentException if the function is not serializable
   * @throws UncheckedIOException if a classpath entry cannot be read
   */
  public PackedFunction pack(Object function) {
    byte[] payload = serializeFunction(function);
    return new PackedFunction(
        Blob.BytesBlob.of("serialized " + function.getClass().getName(), payload), jars());
  }

  private List<Blob> jars() {
    List<Path> entries = classpath != null ? classpath : ClasspathBundle.systemClasspath();
    long now = System.nanoTime();
    Resolved r = resolved;
    if (r != null && now - r.atNanos() < recheckNanos && r.entries().equals(entries)) {
      return r.jars();
    }
    List<Blob> jars;
    try {
      jars = ClasspathBundle.resolve(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the classpath to ship with the function: " + e.getMessage(), e);
    }
    resolved = new Resolved(entries, jars, now);
    return jars;
  }

  /**
   * The function's bytes as written by {@link java.io.ObjectOutputStream}.
   *
   * @throws IllegalArgumentException if the function is not serializable
   */
  public static byte[] serializeFunction(Object function) {
    try {
      return ObjectStreams.serialize(function);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "the function cannot be serialized: it captures or references a "
              + e.getMessage()
              + ", which does not implement java.io.Serializable (capture only serializable"
              + " values, or make the field transient)",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("the function cannot be serialized: " + e, e);
    }
  }
}
