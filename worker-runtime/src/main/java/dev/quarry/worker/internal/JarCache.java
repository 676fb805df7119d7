package dev.quarry.worker.internal;

import dev.quarry.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function jars copied from storage into a local directory, and one class loader per ordered jar
 * list. Jars are stored under the last segment of their key (their SHA-256 digest), so worker
 * processes may share the directory.
 */
public final class JarCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JarCache.class);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final Map<List<String>, URLClassLoader> loaders = new HashMap<>();

  public JarCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The class loader over {@code jarKeys} (in order) whose parent is the platform class loader, so
   * user code sees neither the worker runtime nor its dependencies.
   *
   * @throws FileNotFoundException if a jar is missing from storage
   * @throws IOException if a jar cannot be copied or does not match its digest
   */
  public synchronized ClassLoader loaderFor(List<String> jarKeys, ObjectStore store)
      throws IOException {
    List<String> key = List.copyOf(jarKeys);
    URLClassLoader loader = loaders.get(key);
    if (loader == null) {
      List<URL> urls = new ArrayList<>();
      for (String jarKey : key) {
        urls.add(fetch(jarKey, store).toUri().toURL());
      }
      loader =
          new URLClassLoader(
              "quarry-function", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      loaders.put(key, loader);
    }
    return loader;
  }

  private Path fetch(String jarKey, ObjectStore store) throws IOException {
    String name = jarKey.substring(jarKey.lastIndexOf('/') + 1);
    Path target = dir.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Files.createDirectories(dir);
    Path part = Files.createTempFile(dir, name, ".part");
    try {
      String digest = copy(jarKey, store, part);
      if (SHA256_HEX.matcher(name).matches() && !name.equals(digest)) {
        throw new IOException("jar " + jarKey + " does not match its digest (got " + digest + ")");
      }
      move(part, target);
      log.debug("Cached function jar {} at {}", jarKey, target);
      return target;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private static void move(Path part, Path target) throws IOException {
    try {
      // atomic so that other workers sharing the directory never see a partial jar
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      if (!Files.isRegularFile(target)) {
        throw e;
      }
      // another worker installed the same content first (and may hold it open)
    }
  }

  private static String copy(String jarKey, ObjectStore store, Path part) throws IOException {
    MessageDigest sha256 = sha256();
    try (InputStream in =
            store
                .open(jarKey)
                .orElseThrow(
                    () ->
                        new FileNotFoundException("function jar not found in storage: " + jarKey));
        OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha256)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  @Override
  public synchronized void close() {
    for (URLClassLoader loader : loaders.values()) {
      try {
        loader.close();
      } catch (IOException e) {
        log.warn("Closing function class loader failed", e);
      }
    }
    loaders.clear();
  }
}
