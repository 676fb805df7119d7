package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * What every JSON request body must satisfy before any service sees it: text without NUL characters
 * (PostgreSQL cannot store them) and without lone surrogates (not Unicode), and only finite numbers
 * ({@code 1e400} is not silently turned into "Infinity").
 */
final class TextRules {
  private TextRules() {}

  /**
   * @param noNul whether NUL characters are refused in this part of the body
   * @throws ApiException INVALID_ARGUMENT naming the field
   */
  static void check(JsonNode node, String path, boolean noNul) {
    if (node.isString()) {
      requireText(node.asString(), path, noNul);
    } else if (node.isNumber()) {
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        throw ApiException.invalid("'" + name(path) + "': number out of range (must be finite)");
      }
    } else if (node.isArray()) {
      int i = 0;
      for (JsonNode child : node) {
        check(child, path + "[" + i++ + "]", noNul);
      }
    } else if (node.isObject()) {
      for (var e : node.properties()) {
        requireText(e.getKey(), path + "{key}", noNul);
        check(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), noNul);
      }
    }
  }

  /**
   * @throws ApiException INVALID_ARGUMENT when {@code text} has a NUL (if refused) or a lone
   *     surrogate
   */
  static void requireText(String text, String path, boolean noNul) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 && noNul) {
        throw ApiException.invalid("'" + name(path) + "' contains a NUL character");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiException.invalid(
            "'" + name(path) + "' contains an unpaired surrogate (not Unicode text)");
      }
    }
  }

  private static String name(String path) {
    String p = path.isEmpty() ? "body" : path;
    return p.length() > 100 ? p.substring(0, 100) + "..." : p;
  }
}
