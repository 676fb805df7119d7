package dev.quarry.client.fs;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A path in one bucket: {@code /} separated names, absolute (from the bucket's root) or relative.
 * The object key of an absolute path is the path without its leading {@code /}.
 *
 * <p>Long because {@link Path} has that many operations (names, resolve, relativize, normalize,
 * URIs), each small.
 */
final class QuarryPath implements Path {
  private final QuarryFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  QuarryPath(QuarryFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  /** Parses {@code /a/b}, {@code a/b}; empty names (from {@code //} or a trailing {@code /}) go. */
  static QuarryPath parse(QuarryFileSystem fs, String path) {
    if (path.indexOf('\0') >= 0) {
      throw new InvalidPathException(path, "NUL character");
    }
    List<String> names = new ArrayList<>();
    for (String name : path.split("/")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return new QuarryPath(fs, path.startsWith("/"), names);
  }

  /** The object key ({@code a/b} for {@code /a/b}); empty for the root. */
  String key() {
    return String.join("/", toAbsolutePath().normalize().names);
  }

  List<String> names() {
    return names;
  }

  @Override
  public QuarryFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public @Nullable Path getRoot() {
    return absolute ? new QuarryPath(fs, true, List.of()) : null;
  }

  @Override
  public @Nullable Path getFileName() {
    return names.isEmpty() ? null : new QuarryPath(fs, false, List.of(names.getLast()));
  }

  @Override
  public @Nullable Path getParent() {
    if (names.isEmpty() || (names.size() == 1 && !absolute)) {
      return null;
    }
    return new QuarryPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new QuarryPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return new QuarryPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    QuarryPath o = of(other);
    return o.absolute == absolute
        && o.names.size() <= names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    QuarryPath o = of(other);
    if (o.absolute) {
      return equals(o);
    }
    return o.names.size() <= names.size()
        && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public QuarryPath normalize() {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..") && !out.isEmpty() && !out.getLast().equals("..")) {
        out.removeLast();
      } else if (!(name.equals("..") && absolute)) {
        out.add(name);
      }
    }
    return new QuarryPath(fs, absolute, out);
  }

  @Override
  public Path resolve(Path other) {
    QuarryPath o = of(other);
    if (o.absolute) {
      return o;
    }
    List<String> all = new ArrayList<>(names);
    all.addAll(o.names);
    return new QuarryPath(fs, absolute, all);
  }

  @Override
  public Path relativize(Path other) {
    QuarryPath o = of(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize an absolute and a relative path");
    }
    int common = 0;
    while (common < names.size()
        && common < o.names.size()
        && names.get(common).equals(o.names.get(common))) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      out.add("..");
    }
    out.addAll(o.names.subList(common, o.names.size()));
    return new QuarryPath(fs, false, out);
  }

  @Override
  public URI toUri() {
    return URI.create(
        QuarryFileSystemProvider.SCHEME
            + "://"
            + fs.bucket()
            + encode(toAbsolutePath().normalize().toString()));
  }

  private static String encode(String path) {
    try {
      return new URI(null, null, path, null).getRawPath();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public QuarryPath toAbsolutePath() {
    return absolute ? this : new QuarryPath(fs, true, names);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws java.io.IOException {
    Path real = toAbsolutePath().normalize();
    fs.provider().checkAccess(real);
    return real;
  }

  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("quarry:// paths cannot be watched");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(of(other).toString());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof QuarryPath p
        && p.fs == fs
        && p.absolute == absolute
        && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + (absolute ? 1 : 0);
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private QuarryPath of(Path other) {
    if (!(other instanceof QuarryPath p) || p.fs != fs) {
      throw new ProviderMismatchException("not a path of " + fs);
    }
    return p;
  }
}
