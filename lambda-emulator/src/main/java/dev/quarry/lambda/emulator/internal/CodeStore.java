package dev.quarry.lambda.emulator.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Deployment packages by digest, unpacked on first use into {@code <root>/<sha256>} (shared by
 * every instance and function running the same code; treated as read-only like {@code /var/task}).
 */
final class CodeStore {

  private final Path root;
  private final ConcurrentHashMap<String, CodePackage> packages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Path> unpacked = new ConcurrentHashMap<>();

  CodeStore(Path root) {
    this.root = root;
  }

  /** Validates and stores {@code zip}; identical code is stored once. */
  CodePackage add(byte[] zip) {
    CodePackage code = CodePackage.of(zip);
    CodePackage previous = packages.putIfAbsent(code.sha256Hex(), code);
    return previous != null ? previous : code;
  }

  Optional<CodePackage> find(String sha256Hex) {
    return Optional.ofNullable(packages.get(sha256Hex));
  }

  /** The directory holding {@code code} unpacked, unpacking it first if needed. */
  Path unpack(CodePackage code) throws IOException {
    try {
      return unpacked.computeIfAbsent(code.sha256Hex(), hex -> unpackNow(code));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Path unpackNow(CodePackage code) {
    Path target = root.resolve(code.sha256Hex());
    try {
      Files.createDirectories(root);
      Path staging = Files.createTempDirectory(root, "unpack-");
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(code.zip()))) {
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          Path out = staging.resolve(e.getName()).normalize();
          if (!out.startsWith(staging)) {
            throw new IOException("zip entry outside the package: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
