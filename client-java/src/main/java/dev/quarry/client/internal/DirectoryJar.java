package dev.quarry.client.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a class directory (such as {@code target/classes}) into a deterministic jar: entries sorted
 * by name, a fixed timestamp, no generated manifest. The same tree always gives the same bytes,
 * hence the same digest, so an unchanged directory is uploaded once.
 *
 * <p>{@link #of(Path)} caches the packed jar per directory and re-packs only when a walk of the
 * tree (names, sizes, modification times) shows a change.
 *
 * <p>Entry names use '/' on every platform (the file system's name elements are joined with '/').
 */
public final class DirectoryJar {
  /** The timestamp of every entry (the earliest the zip format can store). */
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private static final ConcurrentHashMap<Path, Packed> CACHE = new ConcurrentHashMap<>();
  private static final int PACK_ATTEMPTS = 3;
  private static final int MAX_DEPTH = 64;

  private DirectoryJar() {}

  /** One file or directory of the tree; {@code name} uses '/' and ends with '/' for directories. */
  record Entry(String name, Path path, long size, long modifiedNanos, boolean directory) {}

  /** A packed directory: the jar's digest and size, and its bytes while memory allows. */
  public record Packed(
      Path directory, String digest, long size, List<Entry> entries, SoftReference<byte[]> bytes)
      implements Blob {
    @Override
    public String describe() {
      return directory + " (packed as a jar)";
    }

    @Override
    public InputStream open() throws IOException {
      byte[] b = bytes.get();
      if (b == null) {
        b = pack(directory).bytes;
        if (!Digests.of(b).equals(digest)) {
          throw new IOException(
              "directory " + directory + " changed since it was hashed; try again");
        }
      }
      return new ByteArrayInputStream(b);
    }
  }

  private record Result(byte[] bytes, List<Entry> entries) {}

  /**
   * The packed jar of {@code dir}, from the cache if the tree did not change.
   *
   * @throws IOException if the tree cannot be read
   */
  public static Packed of(Path dir) throws IOException {
    Path key = dir.toAbsolutePath().normalize();
    List<Entry> entries = scan(key);
    Packed cached = CACHE.get(key);
    if (cached != null && cached.entries().equals(entries)) {
      return cached;
    }
    Result r = pack(key);
    Packed packed =
        new Packed(
            key, Digests.of(r.bytes), r.bytes.length, r.entries, new SoftReference<>(r.bytes));
    CACHE.put(key, packed);
    return packed;
  }

  /**
   * Packs {@code dir}, retrying if files change while it is read.
   *
   * @throws IOException if the tree cannot be read or keeps changing
   */
  static Result pack(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      List<Entry> entries = scan(dir);
      byte[] bytes = write(entries);
      if (entries.equals(scan(dir))) {
        return new Result(bytes, entries);
      }
      if (attempt == PACK_ATTEMPTS) {
        throw new IOException("directory " + dir + " keeps changing while it is packed");
      }
    }
  }

  /** Packs the entries into a jar (no caching). */
  static byte[] write(List<Entry> entries) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(out)) {
      for (Entry e : entries) {
        ZipEntry z = new ZipEntry(e.name());
        z.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(z);
        if (!e.directory()) {
          Files.copy(e.path(), zip);
        }
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /**
   * Every file and sub-directory of {@code dir} (following links, at most {@value #MAX_DEPTH}
   * levels deep), sorted by name with a manifest first, as jar tools expect. Comparing two scans
   * tells whether the tree changed.
   *
   * @throws IOException if the tree cannot be walked
   */
  static List<Entry> scan(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    walk(dir, "", 0, entries);
    entries.sort(Comparator.comparing((Entry e) -> rank(e.name())).thenComparing(Entry::name));
    return entries;
  }

  private static void walk(Path dir, String prefix, int depth, List<Entry> out) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("directory " + dir + " is nested too deeply (a link loop?)");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(child, BasicFileAttributes.class);
        } catch (NoSuchFileException | FileSystemLoopException vanishedOrBroken) {
          continue;
        }
        String name = prefix + child.getFileName();
        if (attrs.isDirectory()) {
          out.add(new Entry(name + "/", child, 0, 0, true));
          walk(child, name + "/", depth + 1, out);
        } else if (attrs.isRegularFile()) {
          out.add(
              new Entry(
                  name,
                  child,
                  attrs.size(),
                  attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                  false));
        }
      }
    }
  }

  private static int rank(String name) {
    return switch (name) {
      case "META-INF/" -> 0;
      case "META-INF/MANIFEST.MF" -> 1;
      default -> 2;
    };
  }
}
