package dev.quarry.lambda.emulator.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A deployment package: the zip as uploaded and its digest. */
final class CodePackage {

  private final byte[] zip;
  private final String sha256Base64;
  private final String sha256Hex;

  private CodePackage(byte[] zip) {
    this.zip = zip;
    byte[] digest = Sha256.digest(zip);
    this.sha256Base64 = Base64.getEncoder().encodeToString(digest);
    this.sha256Hex = HexFormat.of().formatHex(digest);
  }

  /**
   * @throws ApiException 400 {@code InvalidParameterValueException} unless {@code zip} is a zip
   *     file with at least one entry
   */
  static CodePackage of(byte[] zip) {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      int entries = 0;
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries++;
      }
      if (entries == 0) {
        throw unzipFailed();
      }
    } catch (IOException | IllegalArgumentException e) {
      throw unzipFailed();
    }
    return new CodePackage(zip);
  }

  /** The zip bytes; do not modify. */
  byte[] zip() {
    return zip;
  }

  /** Base64 of the SHA-256 of the zip: AWS's {@code CodeSha256}. */
  String sha256Base64() {
    return sha256Base64;
  }

  String sha256Hex() {
    return sha256Hex;
  }

  long size() {
    return zip.length;
  }

  private static ApiException unzipFailed() {
    return ApiException.invalidParameter(
        "Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
}
