package dev.quarry.lambda.emulator.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A function as a request names it: a name, a full or partial ARN, optionally with a qualifier
 * ({@code name:qualifier}); the {@code Qualifier} query parameter may add one.
 */
record FunctionRef(String name, @Nullable String qualifier, String region) {

  static final String ACCOUNT = "000000000000";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern FORMS =
      Pattern.compile(
          "(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-[a-z]+)+-\\d+):)?"
              + "(?:(?<account>\\d{12}):function:)?"
              + "(?<name>[a-zA-Z0-9_-]+)"
              + "(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9_-]+))?");

  /**
   * @throws ApiException 400 ValidationException if {@code raw} is not a function name or ARN, 404
   *     if it is an ARN of another region
   */
  static FunctionRef parse(String raw, @Nullable String queryQualifier, String region) {
    Matcher m = FORMS.matcher(raw);
    if (raw.length() > 170 || !m.matches() || !NAME.matcher(m.group("name")).matches()) {
      throw new ApiException(
          400,
          "ValidationException",
          "1 validation error detected: Value '"
              + raw
              + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern:"
              + " (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
              + "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
    }
    String qualifier = m.group("qualifier");
    if (queryQualifier != null && !queryQualifier.isEmpty()) {
      if (qualifier != null && !qualifier.equals(queryQualifier)) {
        throw ApiException.invalidParameter(
            "The derived qualifier from the function name does not match the specified qualifier.");
      }
      qualifier = queryQualifier;
    }
    FunctionRef ref = new FunctionRef(m.group("name"), qualifier, region);
    String arnRegion = m.group("region");
    if (arnRegion != null && !arnRegion.equals(region)) {
      throw ApiException.notFound("Function not found: " + ref.arn());
    }
    return ref;
  }

  static String arn(String region, String name) {
    return "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name;
  }

  boolean isLatest() {
    return qualifier == null || qualifier.equals("$LATEST");
  }

  String arn() {
    return arn(region, name) + (qualifier == null ? "" : ":" + qualifier);
  }
}
