package dev.quarry.client.internal;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Packs a function for the server: the function serialized with {@link java.io.ObjectOutputStream}
 * (the payload blob) plus the client's classpath as blobs.
 */
public final class FunctionPacker {
  private final @Nullable List<Path> classpath;
  private final long recheckNanos;
  private volatile @Nullable Resolved resolved;

  /**
   * A resolved classpath: {@code property} is the {@code java.class.path} value its entries were
   * read from (null for an explicit classpath), so an unchanged property is not parsed again.
   */
  private record Resolved(
      @Nullable String property,
      List<Path> entries,
      List<Blob> jars,
      String jarsDigest,
      long atNanos) {}

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
    Resolved r = jars();
    return new PackedFunction(
        Blob.BytesBlob.of("serialized " + function.getClass().getName(), payload),
        r.jars(),
        r.jarsDigest());
  }

  private Resolved jars() {
    String property = classpath != null ? null : System.getProperty("java.class.path", "");
    long now = System.nanoTime();
    Resolved r = resolved;
    List<Path> entries;
    if (r != null && Objects.equals(r.property(), property)) {
      // the same explicit classpath, or an unchanged java.class.path: no need to parse it again
      entries = r.entries();
      if (now - r.atNanos() < recheckNanos) {
        return r;
      }
    } else {
      entries =
          property == null ? Objects.requireNonNull(classpath) : ClasspathBundle.entries(property);
    }
    List<Blob> jars;
    try {
      jars = ClasspathBundle.resolve(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the classpath to ship with the function: " + e.getMessage(), e);
    }
    Resolved fresh = new Resolved(property, entries, jars, PackedFunction.jarsDigest(jars), now);
    resolved = fresh;
    return fresh;
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
