package dev.quarry.backend.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The worker's Lambda deployment zip. {@link #version()} (the first 12 hex digits of its SHA-256)
 * names the functions it is deployed as, so a new worker build deploys new functions and the same
 * build is deployed once.
 *
 * @param zip the zip's bytes (classes at the root, jars in {@code lib/})
 * @param codeSha256 base64 SHA-256 of {@code zip}, as Lambda reports {@code CodeSha256}
 * @param version hex prefix of the SHA-256
 */
public record WorkerPackage(byte[] zip, String codeSha256, String version) {
  /** Class-path resource holding the zip in the server. */
  public static final String RESOURCE = "quarry/worker-lambda.zip";

  /** The package made of {@code zip}. */
  public static WorkerPackage of(byte[] zip) {
    byte[] digest = sha256(zip);
    return new WorkerPackage(
        zip, Base64.getEncoder().encodeToString(digest), HexFormat.of().formatHex(digest, 0, 6));
  }

  /**
   * Reads the zip from {@code file}.
   *
   * @throws UncheckedIOException if it cannot be read
   */
  public static WorkerPackage fromFile(Path file) {
    try {
      return of(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the worker package " + file, e);
    }
  }

  /**
   * Reads the zip from the class-path resource {@link #RESOURCE}.
   *
   * @throws IllegalStateException if the resource is missing (the server was built without it)
   */
  public static WorkerPackage fromClasspath(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the worker's Lambda package ("
                + RESOURCE
                + ") is not on the class path;"
                + " build with ./quarry build or set quarry.lambda.worker-package");
      }
      return of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the worker package", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "WorkerPackage[version=" + version + ", bytes=" + zip.length + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerPackage p && p.codeSha256.equals(codeSha256);
  }

  @Override
  public int hashCode() {
    return codeSha256.hashCode();
  }
}
