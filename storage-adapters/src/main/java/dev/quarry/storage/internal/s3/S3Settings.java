package dev.quarry.storage.internal.s3;

import dev.quarry.storage.InvalidKeyException;
import dev.quarry.storage.ObjectKeys;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parsed settings of an {@code s3} store. {@link #toString()} never shows credentials.
 *
 * @param prefix key prefix inside the bucket: empty, or ending in {@code /}
 */
record S3Settings(
    String bucket,
    String prefix,
    @Nullable URI endpoint,
    String region,
    boolean pathStyle,
    @Nullable String accessKeyId,
    @Nullable String secretAccessKey,
    @Nullable String sessionToken,
    int maxConnections,
    boolean createBucket) {

  static final String BUCKET = "bucket";
  static final String PREFIX = "prefix";
  static final String ENDPOINT = "endpoint";
  static final String REGION = "region";
  static final String PATH_STYLE = "pathStyle";
  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";
  static final String MAX_CONNECTIONS = "maxConnections";
  static final String CREATE_BUCKET = "createBucket";

  static final Set<String> KNOWN =
      Set.of(
          "type",
          BUCKET,
          PREFIX,
          ENDPOINT,
          REGION,
          PATH_STYLE,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          SESSION_TOKEN,
          MAX_CONNECTIONS,
          CREATE_BUCKET);

  /**
   * Parses and checks settings.
   *
   * @throws IllegalArgumentException if a setting is missing or invalid
   */
  static S3Settings parse(Map<String, String> settings) {
    String bucket = optional(settings, BUCKET);
    if (bucket == null) {
      throw new IllegalArgumentException("s3 object store needs setting '" + BUCKET + "'");
    }
    if (bucket.contains("/")) {
      throw new IllegalArgumentException("s3 setting '" + BUCKET + "' must not contain '/'");
    }
    URI endpoint = endpoint(optional(settings, ENDPOINT));
    String accessKeyId = optional(settings, ACCESS_KEY_ID);
    String secretAccessKey = optional(settings, SECRET_ACCESS_KEY);
    String sessionToken = optional(settings, SESSION_TOKEN);
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "s3 settings '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY + "' go together");
    }
    if (sessionToken != null && accessKeyId == null) {
      throw new IllegalArgumentException(
          "s3 setting '" + SESSION_TOKEN + "' needs '" + ACCESS_KEY_ID + "'");
    }
    String region = optional(settings, REGION);
    return new S3Settings(
        bucket,
        prefix(optional(settings, PREFIX)),
        endpoint,
        region == null ? "us-east-1" : region,
        bool(settings, PATH_STYLE, endpoint != null),
        accessKeyId,
        secretAccessKey,
        sessionToken,
        positiveInt(settings, MAX_CONNECTIONS, 64),
        bool(settings, CREATE_BUCKET, false));
  }

  boolean staticCredentials() {
    return accessKeyId != null;
  }

  @Override
  public String toString() {
    return "S3Settings[bucket="
        + bucket
        + ", prefix="
        + prefix
        + ", endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (staticCredentials() ? "static" : "default chain")
        + ", maxConnections="
        + maxConnections
        + ", createBucket="
        + createBucket
        + "]";
  }

  private static @Nullable String optional(Map<String, String> settings, String name) {
    String value = settings.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String prefix(@Nullable String value) {
    try {
      return ObjectKeys.directoryPrefix(value);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("s3 setting '" + PREFIX + "': " + e.getMessage(), e);
    }
  }

  private static @Nullable URI endpoint(@Nullable String value) {
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("s3 setting '" + ENDPOINT + "' is not a URI", e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "s3 setting '" + ENDPOINT + "' must be an http(s) URI with a host: " + value);
    }
    return uri;
  }

  private static boolean bool(Map<String, String> settings, String name, boolean fallback) {
    String value = optional(settings, name);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "s3 setting '" + name + "' must be true or false: " + value);
    };
  }

  private static int positiveInt(Map<String, String> settings, String name, int fallback) {
    String value = optional(settings, name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "s3 setting '" + name + "' must be a positive integer: " + value);
  }
}
