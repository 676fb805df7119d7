package dev.quarry.client.fs;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.ObjectInfo;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code quarry://BUCKET/PATH}: a bucket of the Quarry Storage API as a {@link java.nio.file} file
 * system, so {@code Files.newBufferedWriter}, {@code newInputStream}, {@code readString}, {@code
 * list}, {@code walk}, {@code delete}, {@code exists}, {@code size} and {@code copy} work on stored
 * objects (Lithops' {@code cloud_proxy.open} and {@code os}, the Java way).
 *
 * <pre>{@code
 * Path p = Path.of(URI.create("quarry://my-bucket/reports/2026.csv")); // the configured server
 * Files.writeString(p, "a,b\n1,2\n");
 * try (Stream<Path> all = Files.walk(p.getParent())) { all.forEach(System.out::println); }
 * }</pre>
 *
 * <p>{@code Path.of(URI)} connects with the configured target and key (as {@code
 * FunctionExecutor.connect()} finds them); {@code FileSystems.newFileSystem(uri, env)} takes {@code
 * target} and {@code apiKey} in {@code env}. One file system per bucket; closing it closes its
 * connection.
 *
 * <p>Limits: directories are the prefixes objects share (an empty one does not exist, and {@code
 * createDirectory} creates nothing); a written object appears when its stream or channel is closed;
 * no appends or random-access writes to an existing object; {@code move} is a copy then a delete
 * (no atomic rename, least of all of a prefix); no links, owners, permissions or watching.
 *
 * <p>Long because {@link FileSystemProvider} has this many operations, each a short mapping onto
 * {@link QuarryStorage}.
 */
public final class QuarryFileSystemProvider extends FileSystemProvider {
  /** The URI scheme. */
  public static final String SCHEME = "quarry";

  private final Map<String, QuarryFileSystem> systems = new ConcurrentHashMap<>();

  /** Called by {@link java.util.ServiceLoader}; use {@link Path#of(URI)} instead. */
  public QuarryFileSystemProvider() {}

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    String bucket = bucket(uri);
    String target = env.get("target") instanceof String t ? t : null;
    ClientOptions.Builder options = ClientOptions.builder();
    if (env.get("apiKey") instanceof String key) {
      options.apiKey(key);
    }
    QuarryFileSystem fs =
        new QuarryFileSystem(this, bucket, QuarryStorage.connect(target, options.build()));
    if (systems.putIfAbsent(bucket, fs) != null) {
      fs.close();
      throw new FileSystemAlreadyExistsException(uri.toString());
    }
    return fs;
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    QuarryFileSystem fs = systems.get(bucket(uri));
    if (fs == null) {
      throw new FileSystemNotFoundException(uri.toString());
    }
    return fs;
  }

  /** The path of {@code uri}, connecting to the configured server if this bucket has no system. */
  @Override
  public Path getPath(URI uri) {
    String bucket = bucket(uri);
    QuarryFileSystem fs =
        systems.computeIfAbsent(
            bucket,
            b ->
                new QuarryFileSystem(
                    this, b, QuarryStorage.connect((String) null, ClientOptions.DEFAULT)));
    String path = uri.getPath();
    return fs.getPath(path == null || path.isEmpty() ? "/" : path);
  }

  void forget(QuarryFileSystem fs) {
    systems.remove(fs.bucket(), fs);
  }

  private static String bucket(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.getAuthority() == null) {
      throw new IllegalArgumentException("expected quarry://BUCKET/PATH, got " + uri);
    }
    return uri.getAuthority();
  }

  // --- reading and writing ---

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    QuarryPath p = of(path);
    QuarryStorage storage = p.getFileSystem().storage();
    String bucket = p.getFileSystem().bucket();
    if (!options.contains(StandardOpenOption.WRITE)
        && !options.contains(StandardOpenOption.APPEND)) {
      ObjectInfo info = head(p).orElseThrow(() -> new NoSuchFileException(p.toString()));
      return new ObjectChannels.Reader(storage, bucket, p.key(), info.size());
    }
    if (options.contains(StandardOpenOption.APPEND) || options.contains(StandardOpenOption.READ)) {
      throw new UnsupportedOperationException(
          "quarry:// objects are written whole: no APPEND, no READ with WRITE");
    }
    boolean exists = head(p).isPresent();
    if (exists && options.contains(StandardOpenOption.CREATE_NEW)) {
      throw new FileAlreadyExistsException(p.toString());
    }
    if (!exists
        && !options.contains(StandardOpenOption.CREATE)
        && !options.contains(StandardOpenOption.CREATE_NEW)) {
      throw new NoSuchFileException(p.toString());
    }
    return new ObjectChannels.Writer(storage, bucket, p.key());
  }

  /** Streams the object (no round trip for its size first). */
  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    QuarryPath p = of(path);
    try {
      return p.getFileSystem().storage().openObject(p.getFileSystem().bucket(), p.key());
    } catch (RuntimeException e) {
      throw ioFailure(e, p.toString());
    }
  }

  // --- directories ---

  /** Directories exist while objects share their prefix: there is nothing to create. */
  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    QuarryPath p = of(dir);
    if (head(p).isPresent()) {
      throw new FileAlreadyExistsException(p.toString());
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    QuarryPath p = of(dir);
    String key = p.key();
    String prefix = key.isEmpty() ? "" : key + "/";
    QuarryFileSystem fs = p.getFileSystem();
    Stream<ObjectInfo> objects;
    Iterator<ObjectInfo> it;
    try {
      objects = fs.storage().listObjects(fs.bucket(), prefix);
      it = objects.iterator();
      if (!it.hasNext() && !key.isEmpty()) {
        objects.close();
        if (head(p).isPresent()) {
          throw new NotDirectoryException(p.toString());
        }
        throw new NoSuchFileException(p.toString());
      }
    } catch (RuntimeException e) {
      throw ioFailure(e, p.toString());
    }
    Path base = dir;
    Stream<Path> children =
        Stream.iterate(it, Iterator::hasNext, x -> x)
            .map(Iterator::next)
            .map(o -> o.key().substring(prefix.length()))
            .map(rest -> rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest)
            .distinct()
            .map(base::resolve)
            .filter(
                child -> {
                  try {
                    return filter.accept(child);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return children.iterator();
      }

      @Override
      public void close() {
        children.close();
      }
    };
  }

  // --- delete, copy, move ---

  @Override
  public void delete(Path path) throws IOException {
    QuarryPath p = of(path);
    QuarryFileSystem fs = p.getFileSystem();
    BasicFileAttributes attrs = readAttributes(p, BasicFileAttributes.class);
    if (attrs.isDirectory()) {
      throw new DirectoryNotEmptyException(p.toString());
    }
    try {
      fs.storage().deleteObject(fs.bucket(), p.key());
    } catch (RuntimeException e) {
      throw ioFailure(e, p.toString());
    }
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    QuarryPath from = of(source);
    QuarryPath to = of(target);
    ObjectInfo info = head(from).orElseThrow(() -> new NoSuchFileException(from.toString()));
    if (!List.of(options).contains(StandardCopyOption.REPLACE_EXISTING) && head(to).isPresent()) {
      throw new FileAlreadyExistsException(to.toString());
    }
    try (InputStream in = newInputStream(from)) {
      to.getFileSystem()
          .storage()
          .putObject(to.getFileSystem().bucket(), to.key(), in, info.size());
    } catch (RuntimeException e) {
      throw ioFailure(e, to.toString());
    }
  }

  /** A copy, then a delete of the source: not atomic. */
  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    copy(source, target, options);
    delete(source);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return of(path).toAbsolutePath().normalize().equals(of(path2).toAbsolutePath().normalize());
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("quarry:// has no file stores");
  }

  // --- attributes ---

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    readAttributes(path, BasicFileAttributes.class);
    if (List.of(modes).contains(AccessMode.EXECUTE)) {
      throw new AccessDeniedException(path.toString(), null, "objects are not executable");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> @Nullable V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    if (type != BasicFileAttributeView.class) {
      return null;
    }
    return (V)
        new BasicFileAttributeView() {
          @Override
          public String name() {
            return "basic";
          }

          @Override
          public BasicFileAttributes readAttributes() throws IOException {
            return QuarryFileSystemProvider.this.readAttributes(path, BasicFileAttributes.class);
          }

          @Override
          public void setTimes(
              @Nullable FileTime lastModified,
              @Nullable FileTime lastAccess,
              @Nullable FileTime c) {
            throw new UnsupportedOperationException("object times are set by the server");
          }
        };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (type != BasicFileAttributes.class && type != ObjectAttributes.class) {
      throw new UnsupportedOperationException("only basic attributes: " + type.getName());
    }
    QuarryPath p = of(path);
    String key = p.key();
    if (key.isEmpty()) {
      return (A) ObjectAttributes.ofDirectory();
    }
    var info = head(p);
    if (info.isPresent()) {
      ObjectInfo o = info.get();
      return (A) new ObjectAttributes(false, o.size(), o.lastModified(), o.etag());
    }
    QuarryFileSystem fs = p.getFileSystem();
    try {
      if (!fs.storage().listObjectsPage(fs.bucket(), key + "/", "", 1).objects().isEmpty()) {
        return (A) ObjectAttributes.ofDirectory();
      }
    } catch (RuntimeException e) {
      throw ioFailure(e, p.toString());
    }
    throw new NoSuchFileException(p.toString());
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    BasicFileAttributes a = readAttributes(path, BasicFileAttributes.class);
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("size", a.size());
    all.put("lastModifiedTime", a.lastModifiedTime());
    all.put("lastAccessTime", a.lastAccessTime());
    all.put("creationTime", a.creationTime());
    all.put("isRegularFile", a.isRegularFile());
    all.put("isDirectory", a.isDirectory());
    all.put("isSymbolicLink", false);
    all.put("isOther", false);
    if (a.fileKey() != null) {
      all.put("fileKey", a.fileKey());
    }
    String names = attributes.startsWith("basic:") ? attributes.substring(6) : attributes;
    if (names.equals("*")) {
      return all;
    }
    Map<String, Object> some = new LinkedHashMap<>();
    for (String name : names.split(",")) {
      if (all.containsKey(name)) {
        some.put(name, all.get(name));
      }
    }
    return some;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw new UnsupportedOperationException("object attributes are set by the server");
  }

  // --- helpers ---

  private static java.util.Optional<ObjectInfo> head(QuarryPath p) throws IOException {
    if (p.key().isEmpty()) {
      return java.util.Optional.empty();
    }
    QuarryFileSystem fs = p.getFileSystem();
    try {
      return java.util.Optional.of(fs.storage().headObject(fs.bucket(), p.key()));
    } catch (QuarryException e) {
      if (e.reason() == ErrorReason.OBJECT_NOT_FOUND) {
        return java.util.Optional.empty();
      }
      throw ioFailure(e, p.toString());
    }
  }

  /** A storage failure as the {@link IOException} {@code java.nio.file} callers expect. */
  static IOException ioFailure(RuntimeException e, String path) {
    if (e instanceof QuarryException q) {
      return switch (q.reason()) {
        case OBJECT_NOT_FOUND -> new NoSuchFileException(path);
        case PERMISSION_DENIED -> new AccessDeniedException(path, null, q.description());
        default -> new IOException(path + ": " + q.description(), q);
      };
    }
    return new IOException(path + ": " + e.getMessage(), e);
  }

  private static QuarryPath of(Path path) {
    if (!(path instanceof QuarryPath p)) {
      throw new ProviderMismatchException("not a quarry:// path: " + path);
    }
    return p;
  }
}
