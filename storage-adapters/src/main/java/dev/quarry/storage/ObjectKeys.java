package dev.quarry.storage;

import org.jspecify.annotations.Nullable;

/**
 * Validation of object keys and prefixes.
 *
 * <p>A key is a relative, slash-separated path of at most {@value #MAX_LENGTH} characters. Each
 * segment is non-empty, is not {@code .} or {@code ..}, and consists only of ASCII letters, ASCII
 * digits and the characters {@code - _ . = + @}. Everything else is rejected, in particular
 * backslashes, control characters, {@code %} (so percent-encoded traversal such as {@code %2e%2e}
 * never reaches a store), {@code :} (drive letters) and non-ASCII characters (which filesystems may
 * normalise differently). Such keys map one-to-one onto file paths and S3 keys.
 */
public final class ObjectKeys {

  /** Maximum key length in characters (equal to bytes, since keys are ASCII). */
  public static final int MAX_LENGTH = 1024;

  private static final int MAX_ECHO = 80;

  private ObjectKeys() {}

  /**
   * Checks that {@code key} is a valid object key.
   *
   * @param key the key to check
   * @return {@code key}, unchanged
   * @throws InvalidKeyException if the key is empty, too long, absolute, ends with {@code /}, has
   *     an empty, {@code .} or {@code ..} segment, or contains a character outside the allowed set
   */
  public static String validate(String key) {
    check(key, false, "key");
    return key;
  }

  /**
   * Tells whether {@code key} is a valid object key, without saying why not.
   *
   * @param key the key to check
   * @return whether {@link #validate(String)} accepts it
   */
  public static boolean isValid(String key) {
    try {
      check(key, false, "key");
      return true;
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  /**
   * Turns a store's configured prefix into the prefix its keys are stored under: empty when there
   * is none, else the value with one trailing {@code /}.
   *
   * @param value the configured prefix, or {@code null} for none
   * @return {@code ""} or a valid prefix ending in {@code /}
   * @throws InvalidKeyException if the value is not a valid key prefix
   */
  public static String directoryPrefix(@Nullable String value) {
    if (value == null) {
      return "";
    }
    String prefix = value.endsWith("/") ? value : value + "/";
    validatePrefix(prefix);
    return prefix;
  }

  /**
   * Checks that {@code prefix} is a valid listing prefix: empty, or a valid key optionally followed
   * by a single {@code /}.
   *
   * @param prefix the prefix to check
   * @throws InvalidKeyException if the prefix is not empty and not a valid key with an optional
   *     trailing {@code /}
   */
  public static void validatePrefix(String prefix) {
    if (prefix != null && prefix.isEmpty()) {
      return;
    }
    check(prefix, true, "prefix");
  }

  /**
   * Joins key segments with {@code /}.
   *
   * @param segments one or more segments, each a valid key without {@code /}
   * @return the joined key
   * @throws InvalidKeyException if there are no segments, a segment contains {@code /} or is
   *     otherwise invalid, or the joined key is too long
   */
  public static String join(String... segments) {
    if (segments == null || segments.length == 0) {
      throw new InvalidKeyException("at least one key segment is required");
    }
    for (String segment : segments) {
      if (segment != null && segment.indexOf('/') >= 0) {
        throw new InvalidKeyException(
            "key segment must not contain '/': \"" + printable(segment) + "\"");
      }
      check(segment, false, "key segment");
    }
    return validate(String.join("/", segments));
  }

  private static void check(String s, boolean allowTrailingSlash, String what) {
    if (s == null) {
      throw new InvalidKeyException(what + " must not be null");
    }
    if (s.isEmpty()) {
      throw new InvalidKeyException(what + " must not be empty");
    }
    if (s.length() > MAX_LENGTH) {
      throw new InvalidKeyException(
          what + " is longer than " + MAX_LENGTH + " characters (" + s.length() + ")");
    }
    for (int i = 0; i < s.length(); i++) {
      String problem = characterProblem(s.charAt(i), i);
      if (problem != null) {
        throw invalid(what, s, problem);
      }
    }
    if (s.charAt(0) == '/') {
      throw invalid(what, s, "must be relative (starts with '/')");
    }
    int end = s.length();
    if (s.charAt(end - 1) == '/') {
      if (!allowTrailingSlash) {
        throw invalid(what, s, "must not end with '/'");
      }
      end--;
    }
    int start = 0;
    while (start <= end) {
      int slash = s.indexOf('/', start);
      int segEnd = slash < 0 || slash > end ? end : slash;
      checkSegment(what, s, s.substring(start, segEnd));
      start = segEnd + 1;
    }
  }

  private static void checkSegment(String what, String s, String segment) {
    if (segment.isEmpty()) {
      throw invalid(what, s, "has an empty segment ('//')");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw invalid(what, s, "has a '" + segment + "' segment");
    }
  }

  private static String characterProblem(char c, int index) {
    if (c < 0x20 || c == 0x7f) {
      return "contains a control character at index " + index;
    }
    if (c == '\\') {
      return "contains a backslash at index " + index;
    }
    if (c == '%') {
      return "contains '%' at index " + index + " (percent-encoding is not allowed)";
    }
    if (c == ':') {
      return "contains ':' at index " + index;
    }
    if (allowed(c)) {
      return null;
    }
    return "contains a character that is not allowed ('"
        + printable(String.valueOf(c))
        + "') at index "
        + index
        + "; allowed: ASCII letters, digits and - _ . = / + @";
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '='
        || c == '/'
        || c == '+'
        || c == '@';
  }

  private static InvalidKeyException invalid(String what, String s, String problem) {
    return new InvalidKeyException("invalid " + what + " \"" + printable(s) + "\": " + problem);
  }

  /** Escapes non-printable and non-ASCII characters and shortens long values for messages. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    int n = Math.min(s.length(), MAX_ECHO);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > n) {
      out.append("...");
    }
    return out.toString();
  }
}
