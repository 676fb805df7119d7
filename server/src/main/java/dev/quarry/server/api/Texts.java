package dev.quarry.server.api;

/** Checks on free text that is stored and shown back (labels, display names). */
public final class Texts {
  private Texts() {}

  /**
   * @throws ApiException INVALID_ARGUMENT naming {@code field} when {@code text} holds a control
   *     character (NUL, line breaks, escape sequences: they would corrupt listings and logs)
   */
  public static void requirePrintable(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw ApiException.invalid(
            field + " must not contain control characters (at index " + i + ")");
      }
    }
  }
}
