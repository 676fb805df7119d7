package dev.quarry.client.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;

/**
 * Turns classpath entries into content-addressed blobs: jar files as they are, class directories
 * packed by {@link DirectoryJar}. Entries that do not exist or lie under {@code java.home} are
 * skipped; jars referenced by a jar manifest's {@code Class-Path} (as with {@code java -jar} or a
 * manifest-only launcher jar) are followed.
 *
 * <p>Jar digests are cached for the life of the process per (path, size, modification time), so
 * resolving an unchanged classpath again costs one file-status call per jar plus a walk of each
 * class directory.
 */
public final class ClasspathBundle {
  private static final ConcurrentHashMap<Path, JarInfo> JARS = new ConcurrentHashMap<>();

  /** Whether an existing entry lies under {@code java.home} (resolving links is slow). */
  private static final ConcurrentHashMap<Path, Boolean> UNDER_JAVA_HOME = new ConcurrentHashMap<>();

  private static final @Nullable Path JAVA_HOME =
      realPath(Path.of(System.getProperty("java.home", "/nonexistent")));
  private static final int MAX_ENTRIES = 10_000;

  private record JarInfo(long size, long modified, String digest, List<Path> manifestClassPath) {}

  private ClasspathBundle() {}

  /** The entries of the {@code java.class.path} system property, in order. */
  public static List<Path> systemClasspath() {
    return entries(System.getProperty("java.class.path", ""));
  }

  /** The entries of a classpath string such as {@code java.class.path}'s value, in order. */
  static List<Path> entries(String cp) {
    List<Path> out = new ArrayList<>();
    for (String part : cp.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        try {
          out.add(Path.of(part));
        } catch (RuntimeException invalid) {
          // not a usable path on this platform: skip it like the JVM does
        }
      }
    }
    return out;
  }

  /**
   * The blobs for these classpath entries, in classpath order, without duplicate content.
   *
   * @throws IOException if an existing entry cannot be read
   */
  public static List<Blob> resolve(List<Path> entries) throws IOException {
    Map<String, Blob> byDigest = new LinkedHashMap<>();
    Set<Path> seen = new HashSet<>();
    for (Path entry : entries) {
      add(entry, seen, byDigest);
    }
    return List.copyOf(byDigest.values());
  }

  private static void add(Path entry, Set<Path> seen, Map<String, Blob> byDigest)
      throws IOException {
    Path path = entry.toAbsolutePath().normalize();
    if (!seen.add(path) || seen.size() > MAX_ENTRIES) {
      return;
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException missing) {
      return;
    }
    if (UNDER_JAVA_HOME.computeIfAbsent(path, ClasspathBundle::isUnderJavaHome)) {
      return;
    }
    if (attrs.isDirectory()) {
      DirectoryJar.Packed packed = DirectoryJar.of(path);
      byDigest.putIfAbsent(packed.digest(), packed);
    } else if (attrs.isRegularFile()) {
      JarInfo jar = jarInfo(path, attrs);
      byDigest.putIfAbsent(jar.digest(), new Blob.FileBlob(path, jar.digest(), jar.size()));
      for (Path referenced : jar.manifestClassPath()) {
        add(referenced, seen, byDigest);
      }
    }
  }

  private static JarInfo jarInfo(Path path, BasicFileAttributes attrs) throws IOException {
    long modified = attrs.lastModifiedTime().toMillis();
    JarInfo cached = JARS.get(path);
    if (cached != null && cached.size() == attrs.size() && cached.modified() == modified) {
      return cached;
    }
    JarInfo info = new JarInfo(attrs.size(), modified, Digests.of(path), manifestClassPath(path));
    JARS.put(path, info);
    return info;
  }

  /** The jars a jar's manifest {@code Class-Path} names, resolved against the jar's directory. */
  static List<Path> manifestClassPath(Path jar) {
    String classPath;
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      classPath =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    } catch (IOException | SecurityException notAJar) {
      return List.of();
    }
    if (classPath == null || classPath.isBlank()) {
      return List.of();
    }
    URI base = jar.toAbsolutePath().getParent().toUri();
    List<Path> out = new ArrayList<>();
    for (String token : classPath.trim().split("\\s+")) {
      try {
        URI uri = base.resolve(token);
        if ("file".equals(uri.getScheme())) {
          out.add(Path.of(uri));
        }
      } catch (RuntimeException malformed) {
        // the JVM ignores malformed Class-Path entries too
      }
    }
    return out;
  }

  private static boolean isUnderJavaHome(Path p) {
    Path real = realPath(p);
    return real == null || (JAVA_HOME != null && real.startsWith(JAVA_HOME));
  }

  private static @Nullable Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }
}
