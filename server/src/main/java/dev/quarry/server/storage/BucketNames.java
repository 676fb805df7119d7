package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.JsonErrors;
import java.util.regex.Pattern;

/**
 * The rules of an S3 bucket name (general purpose buckets): 3 to 63 characters of lower-case
 * letters, digits, {@code .} and {@code -}, beginning and ending with a letter or digit; no two
 * adjacent dots, not an IP address, none of the prefixes and suffixes AWS reserves.
 */
public final class BucketNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private BucketNames() {}

  /**
   * @throws ApiException INVALID_ARGUMENT saying which rule {@code name} breaks
   */
  public static void validate(String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(
          "setting 'bucket' must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or"
              + " '-', beginning and ending with a letter or digit; got '"
              + JsonErrors.clip(name)
              + "'");
    }
    if (name.contains("..")
        || IP.matcher(name).matches()
        || name.startsWith("xn--")
        || name.startsWith("sthree-")
        || name.endsWith("-s3alias")
        || name.endsWith("--ol-s3")
        || name.endsWith(".mrap")
        || name.endsWith("--x-s3")) {
      throw ApiException.invalid(
          "setting 'bucket': '"
              + name
              + "' is not a valid S3 bucket name (adjacent dots, an IP address, or a prefix or"
              + " suffix AWS reserves)");
    }
  }
}
