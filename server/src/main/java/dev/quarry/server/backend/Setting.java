package dev.quarry.server.backend;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.JsonErrors;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One numeric setting and its documented range. Values are read from text (profile settings are
 * strings); anything but a plain decimal number inside the range is refused with a message that
 * names the setting and the range, so no stored value can make a later component allocate, sleep or
 * loop without bound.
 *
 * @param wholeNumber whether only whole numbers are allowed
 */
public record Setting(String name, double min, double max, boolean wholeNumber, String unit) {
  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,12}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,12}(\\.\\d{1,9})?");

  public static Setting whole(String name, long min, long max, String unit) {
    return new Setting(name, min, max, true, unit);
  }

  public static Setting decimal(String name, double min, double max, String unit) {
    return new Setting(name, min, max, false, unit);
  }

  /** The range as the README and error messages write it, e.g. {@code 1–1000 calls}. */
  public String range() {
    return format(min) + "–" + format(max) + (unit.isEmpty() ? "" : " " + unit);
  }

  /**
   * @throws ApiException INVALID_ARGUMENT naming this setting and its range
   */
  public int intValue(Map<String, String> settings, int fallback) {
    String v = settings.get(name);
    return v == null ? fallback : (int) parse(v);
  }

  /**
   * @throws ApiException INVALID_ARGUMENT naming this setting and its range
   */
  public double decimalValue(Map<String, String> settings, double fallback) {
    String v = settings.get(name);
    return v == null ? fallback : parse(v);
  }

  /**
   * @throws ApiException INVALID_ARGUMENT naming this setting and its range
   */
  public double parse(String text) {
    String t = text.trim();
    if (!(wholeNumber ? WHOLE : DECIMAL).matcher(t).matches()) {
      throw invalid(text);
    }
    double value = Double.parseDouble(t);
    if (!(value >= min && value <= max)) {
      throw invalid(text);
    }
    return value;
  }

  /**
   * @throws IllegalStateException naming {@code property} when {@code value} is outside the range
   */
  public void requireInRange(String property, double value) {
    if (!(value >= min && value <= max)) {
      throw new IllegalStateException(property + " must be " + range() + ", got " + format(value));
    }
  }

  private ApiException invalid(String text) {
    return ApiException.invalid(
        "setting '"
            + name
            + "' must be "
            + (wholeNumber ? "a whole number" : "a number")
            + " in "
            + range()
            + ", got '"
            + JsonErrors.clip(text)
            + "'");
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
