package dev.quarry.server.storage.internal;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The rules of bucket names, object keys, prefixes and page tokens; a name that breaks them is a
 * 400 {@code INVALID_OBJECT_NAME} saying which rule.
 *
 * <p>A bucket name is 3 to 63 characters of lower-case ASCII letters, digits, {@code -} and {@code
 * .}, starting and ending with a letter or digit, without {@code ..} (the S3 rules). A key is 1 to
 * {@value #MAX_KEY_BYTES} bytes of UTF-8, relative ({@code /} separates segments, none empty,
 * {@code .} or {@code ..}, and none at the start or end), without control characters, NUL,
 * backslashes, {@code %} or {@code ;} (which the HTTP edge cannot carry unencoded, so a key can
 * never be smuggled in percent-encoded) or unpaired surrogates. Keys never reach the object store
 * as paths: objects are stored under ids, so these rules guard the API and the tools built on it
 * (the {@code quarry://} file system, downloads to local paths), not the store.
 */
public final class StorageNames {
  public static final int MAX_KEY_BYTES = 1024;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private StorageNames() {}

  public static String bucket(String bucket) {
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw invalid(
          "bucket name '"
              + JsonErrors.clip(bucket)
              + "' is invalid: use 3-63 characters of a-z, 0-9, '-' and '.', starting and ending"
              + " with a letter or digit, without '..'");
    }
    return bucket;
  }

  public static String key(String key) {
    check(key, "key", false);
    return key;
  }

  /** An empty prefix lists everything; otherwise a key that may end with {@code /}. */
  public static String prefix(String prefix) {
    if (!prefix.isEmpty()) {
      check(prefix, "prefix", true);
    }
    return prefix;
  }

  public static String encodeToken(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key a page token says to continue after. */
  public static String decodeToken(String token) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return key(key);
    } catch (IllegalArgumentException | ApiException e) {
      throw invalid("page token '" + JsonErrors.clip(token) + "' is not one this server issued");
    }
  }

  private static void check(String s, String what, boolean trailingSlash) {
    if (s.isEmpty()) {
      throw invalid(what + " must not be empty");
    }
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES || s.length() > MAX_KEY_BYTES) {
      throw invalid(
          what + " is " + bytes + " bytes of UTF-8; the limit is " + MAX_KEY_BYTES + " bytes");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String problem = problem(s, i, c);
      if (problem != null) {
        throw invalid(what + " '" + JsonErrors.clip(printable(s)) + "' " + problem + " at " + i);
      }
    }
    if (s.charAt(0) == '/') {
      throw invalid(what + " '" + JsonErrors.clip(s) + "' must be relative (starts with '/')");
    }
    String body = trailingSlash && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw invalid(
            what
                + " '"
                + JsonErrors.clip(s)
                + "' has an empty, '.' or '..' segment"
                + (trailingSlash ? "" : " (or ends with '/')"));
      }
    }
  }

  private static String problem(String s, int i, char c) {
    if (Character.isISOControl(c)) {
      return "contains a control character";
    }
    if (c == '\\' || c == '%' || c == ';') {
      return "contains '" + c + "'";
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
          ? null
          : "contains an unpaired surrogate";
    }
    if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
      return "contains an unpaired surrogate";
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.chars()
        .forEach(
            c -> {
              if (Character.isISOControl(c) || Character.isSurrogate((char) c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }

  private static ApiException invalid(String message) {
    return new ApiException(ErrorReason.INVALID_OBJECT_NAME, message);
  }
}
